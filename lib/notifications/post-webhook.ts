export type PostOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "failed"; status: number | null; error: string }
  /** The process is stopping: the attempt is handed back, not counted. */
  | { kind: "interrupted" };

const MAX_ERROR = 200;

/** A short reason for the delivery log: never a header, a body or the URL (which may carry a token). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const caught = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (caught?.name === "TimeoutError") return `timed out after ${timeoutMs / 1000} s`;
  const cause = caught?.cause;
  const reason = cause?.code ?? cause?.message ?? caught?.message ?? String(error);
  return `request failed: ${reason}`.slice(0, MAX_ERROR);
}

/**
 * POSTs one delivery. A 2xx is delivered; anything else, a redirect (never followed: it could
 * point anywhere), a network error or the timeout is a failed attempt.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; shutdown: AbortSignal },
): Promise<PostOutcome> {
  const signal = AbortSignal.any([options.shutdown, AbortSignal.timeout(options.timeoutMs)]);
  try {
    const response = await fetch(url, { method: "POST", body, headers, redirect: "manual", signal });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { kind: "delivered", status: response.status };
    const redirect = response.status >= 300 && response.status < 400 ? ": redirects are not followed" : "";
    return { kind: "failed", status: response.status, error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${redirect}`.slice(0, MAX_ERROR) };
  } catch (error) {
    if (options.shutdown.aborted) return { kind: "interrupted" };
    return { kind: "failed", status: null, error: describeFailure(error, options.timeoutMs) };
  }
}
