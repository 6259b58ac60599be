/** A Next.js route handler as tests call it: a real Request, the dynamic params as a promise. */
export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Header naming the test persona; tests mock requestActor to read it. */
export const TEST_ACTOR_HEADER = "x-test-actor";

export async function callHandler(
  handler: RouteHandler | undefined,
  method: string,
  who: string | null,
  url: string,
  params: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  if (!handler) throw new Error("no such handler");
  const request = new Request(`http://localhost${url}`, {
    method,
    headers: { "content-type": "application/json", ...(who ? { [TEST_ACTOR_HEADER]: who } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
