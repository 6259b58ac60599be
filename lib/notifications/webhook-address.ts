import dns from "node:dns";
import { BlockList, isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Where webhooks may be sent. By default only public (globally routed unicast) addresses: a hook
 * could otherwise make the server POST to its own loopback, a cloud metadata service
 * (169.254.169.254) or anything else on the internal network. `HANDRAIL_WEBHOOK_ALLOW_NETWORKS`
 * opens chosen networks (CIDRs) or, with `*`, every address.
 */
export interface WebhookNetworks {
  allowAll: boolean;
  allowed: BlockList;
}

/** Parses `*` or a comma-separated list of CIDRs (`10.20.0.0/16, fd00::/8, 127.0.0.1/32`); throws naming a bad entry. */
export function parseWebhookNetworks(value: string | undefined): WebhookNetworks {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const allowed = new BlockList();
  if (entries.includes("*")) return { allowAll: true, allowed };
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix) || bits > maxBits) {
      throw new Error(`"${entry}" is not a network: write an address with its prefix length, e.g. 10.20.0.0/16 or fd00::/8, or * for every address`);
    }
    allowed.addSubnet(address, bits, family === 6 ? "ipv6" : "ipv4");
  }
  return { allowAll: false, allowed };
}

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
