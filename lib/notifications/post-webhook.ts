import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { WebhookNetworks } from "../config/webhook-networks";
import { addressRefusal, literalAddressRefusal } from "./webhook-address";

export type PostOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "failed"; status: number | null; error: string }
  /** The process is stopping: the attempt is handed back, not counted. */
  | { kind: "interrupted" };

const MAX_ERROR = 200;
const ADDRESS_REFUSED = "EHANDRAILADDRESS";

/** A short reason for the delivery log: never a header, a body or the URL (which may carry a token). */
function describeFailure(error: unknown): string {
  const caught = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (caught?.code === ADDRESS_REFUSED) return `refused: ${caught.message}`.slice(0, MAX_ERROR);
  const reason = caught?.code ?? caught?.cause?.code ?? caught?.cause?.message ?? caught?.message ?? String(error);
  return `request failed: ${reason}`.slice(0, MAX_ERROR);
}

/**
 * Resolves like the system does, then refuses the connection if any address is not allowed: the
 * check applies to the address actually connected to, so a name that resolves to a public address
 * when the hook is saved and to an internal one later (DNS rebinding) is still refused.
 */
function guardedLookup(networks: WebhookNetworks): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const refusal = addresses.map((entry) => addressRefusal(entry.address, networks)).find(Boolean);
      if (refusal) return callback(Object.assign(new Error(refusal), { code: ADDRESS_REFUSED }), "");
      const [first] = addresses;
      if (options.all) return (callback as unknown as (error: null, addresses: dns.LookupAddress[]) => void)(null, addresses);
      return callback(null, first?.address ?? "", first?.family);
    });
  };
}

/**
 * POSTs one delivery. A 2xx is delivered; anything else, a redirect (never followed: it could
 * point anywhere), a network error, a refused address or the timeout is a failed attempt.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; shutdown: AbortSignal; networks: WebhookNetworks },
): Promise<PostOutcome> {
  const target = new URL(url);
  // An address written in the URL is connected to without a lookup: check it here.
  const literalRefusal = literalAddressRefusal(target, options.networks);
  if (literalRefusal) return { kind: "failed", status: null, error: `refused: ${literalRefusal}`.slice(0, MAX_ERROR) };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.shutdown, timeout]);
  const client = target.protocol === "https:" ? https : http;
  try {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = client.request(target, {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        signal,
        lookup: guardedLookup(options.networks),
        agent: false,
      });
      request.on("response", resolve);
      request.on("error", reject);
      request.end(body);
    });
    response.resume();
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return { kind: "delivered", status };
    const redirect = status >= 300 && status < 400 ? ": redirects are not followed" : "";
    return { kind: "failed", status, error: `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}${redirect}`.slice(0, MAX_ERROR) };
  } catch (error) {
    if (options.shutdown.aborted) return { kind: "interrupted" };
    if (timeout.aborted) return { kind: "failed", status: null, error: `timed out after ${options.timeoutMs / 1000} s` };
    return { kind: "failed", status: null, error: describeFailure(error) };
  }
}
