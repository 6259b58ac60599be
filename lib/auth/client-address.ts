import { config } from "../config/env";
import { forwardedClient } from "./trusted-proxies";

/** Set by Handrail's HTTP server (scripts/server.js) on every request, replacing any a client sent. */
export const PEER_HEADER = "x-handrail-peer";
/** The server marks the process it runs in: under any other server the header could come from a client. */
const PEER_HEADER_SET = Symbol.for("handrail.peerHeader");

function connectionPeer(headers: Headers): string | undefined {
  if (!(globalThis as Record<symbol, unknown>)[PEER_HEADER_SET]) return undefined;
  return headers.get(PEER_HEADER) || undefined;
}

/**
 * The caller's address, for the audit trail and the sign-in throttle: the connection's peer, or
 * the client a trusted proxy (HANDRAIL_TRUSTED_PROXIES) reports in X-Forwarded-For. A header a
 * client wrote itself is never believed. Undefined when the server did not say who connected.
 */
export function clientAddress(headers: Headers): string | undefined {
  const peer = connectionPeer(headers);
  if (!peer) return undefined;
  return forwardedClient(peer, headers.get("x-forwarded-for"), config().trustedProxies);
}
