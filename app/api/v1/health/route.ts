export const dynamic = "force-dynamic";

/** Liveness, no authentication. */
export function GET(): Response {
  return Response.json({ ok: true });
}
