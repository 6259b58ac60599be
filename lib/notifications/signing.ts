import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_PREFIX = "sha256=";
export const USER_AGENT = "Handrail-Webhooks/1";

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`): the timestamp is signed so a captured request cannot be replayed later. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return SIGNATURE_PREFIX + createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

export interface SignedRequest {
  event: string;
  deliveryId: number;
  body: string;
  /** Unix seconds; defaults to now. */
  timestamp?: string;
}

/** Every header a delivery carries; without a secret (a Slack hook: Slack checks no signature) it is not signed. */
export function webhookHeaders(secret: string | null, request: SignedRequest): Record<string, string> {
  const timestamp = request.timestamp ?? String(Math.floor(Date.now() / 1000));
  return {
    "Content-Type": "application/json",
    "User-Agent": USER_AGENT,
    "X-Handrail-Event": request.event,
    "X-Handrail-Delivery": String(request.deliveryId),
    ...(secret === null ? {} : { "X-Handrail-Timestamp": timestamp, "X-Handrail-Signature": signBody(secret, timestamp, request.body) }),
  };
}

/** What a receiver does: recompute, compare in constant time, and refuse stale timestamps. */
export function verifySignature(
  secret: string,
  received: { timestamp: string | null | undefined; signature: string | null | undefined; body: string },
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const { timestamp, signature, body } = received;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
