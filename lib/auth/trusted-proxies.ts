import proxyaddr from "proxy-addr";

/**
 * The address that sent a request, given the peer of its TCP connection and the X-Forwarded-For
 * chain: walking from the peer back along the chain, the first address that is not a trusted proxy.
 * With no trusted proxies, the peer itself, whatever the request claims.
 */
export function forwardedClient(peer: string, forwardedFor: string | null, trusted: readonly string[]): string {
  const connection = { remoteAddress: peer };
  const request = { connection, socket: connection, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} };
  return proxyaddr(request as unknown as Parameters<typeof proxyaddr>[0], trustFunctionFor(trusted));
}

// Compiled once per list (the configuration's list is one object for the life of the process), not per request.
const compiled = new WeakMap<readonly string[], ReturnType<typeof proxyaddr.compile>>();
function trustFunctionFor(trusted: readonly string[]): ReturnType<typeof proxyaddr.compile> {
  let trust = compiled.get(trusted);
  if (!trust) {
    trust = proxyaddr.compile([...trusted]);
    compiled.set(trusted, trust);
  }
  return trust;
}
