import dns from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { WebhookNetworks } from "../config/webhook-networks";

const RANGES: Record<string, string> = {
  loopback: "a loopback",
  private: "a private",
  linkLocal: "a link-local",
  uniqueLocal: "a unique local",
  carrierGradeNat: "a carrier-grade NAT",
  unspecified: "an unspecified",
  multicast: "a multicast",
  broadcast: "a broadcast",
  reserved: "a reserved",
};

/** ipaddr.js's range name as words, with its article. */
function describeRange(range: string): string {
  return RANGES[range] ?? `a special-purpose (${range})`;
}

/** Why this address may not receive webhooks, or undefined if it may. */
export function addressRefusal(address: string, networks: WebhookNetworks): string | undefined {
  if (networks.allowAll) return undefined;
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === "unicast") return undefined;
  const normalised = parsed.toString();
  if (networks.allowed.check(normalised, parsed.kind())) return undefined;
  return `${normalised} is ${describeRange(range)} address; webhooks go to public addresses unless HANDRAIL_WEBHOOK_ALLOW_NETWORKS allows it`;
}

/** A URL's host without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Why a URL written with an IP address may not be used; undefined for an allowed address or a name. */
export function literalAddressRefusal(url: URL, networks: WebhookNetworks): string | undefined {
  const host = hostOf(url);
  return isIP(host) ? addressRefusal(host, networks) : undefined;
}

export type Resolve = (hostname: string) => Promise<string[]>;

const resolveAll: Resolve = async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Why a hook's URL may not be used, judged on every address its host resolves to now. A name that
 * does not resolve is let through here: the delivery checks the address it actually connects to.
 */
export async function urlRefusal(url: string, networks: WebhookNetworks, resolve: Resolve = resolveAll): Promise<string | undefined> {
  if (networks.allowAll) return undefined;
  const hostname = hostOf(new URL(url));
  if (isIP(hostname)) return addressRefusal(hostname, networks);
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    return undefined;
  }
  for (const address of addresses) {
    const refusal = addressRefusal(address, networks);
    if (refusal) return `${hostname} resolves to ${refusal}`;
  }
  return undefined;
}
