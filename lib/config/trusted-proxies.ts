import proxyaddr from "proxy-addr";

/**
 * HANDRAIL_TRUSTED_PROXIES: addresses and CIDR ranges of the reverse proxies in front of Handrail,
 * comma-separated, or proxy-addr's names `loopback`, `linklocal` and `uniquelocal`. Throws naming
 * the first entry that is none of these.
 */
export function parseTrustedProxies(value: string | undefined): string[] {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  proxyaddr.compile(entries);
  return entries;
}
