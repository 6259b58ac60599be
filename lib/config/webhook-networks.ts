import { BlockList, isIP } from "node:net";

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
