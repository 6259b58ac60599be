import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/env";
import { parseWebhookNetworks } from "../config/webhook-networks";
import { addressRefusal, urlRefusal } from "./webhook-address";

const none = parseWebhookNetworks(undefined);

describe("where webhooks may be sent", () => {
  it("allows public addresses and refuses loopback, private, link-local, metadata and other special ranges", () => {
    for (const address of ["8.8.8.8", "203.0.114.7", "2606:4700:4700::1111"]) expect(addressRefusal(address, none)).toBeUndefined();
    const refused: Array<[string, string]> = [
      ["127.0.0.1", "127.0.0.1 is a loopback address"],
      ["::1", "::1 is a loopback address"],
      ["10.1.2.3", "10.1.2.3 is a private address"],
      ["172.16.0.9", "172.16.0.9 is a private address"],
      ["192.168.1.1", "192.168.1.1 is a private address"],
      ["169.254.169.254", "169.254.169.254 is a link-local address"],
      ["fe80::1", "fe80::1 is a link-local address"],
      ["fd00::5", "fd00::5 is a unique local address"],
      ["100.64.0.1", "100.64.0.1 is a carrier-grade NAT address"],
      ["0.0.0.0", "0.0.0.0 is an unspecified address"],
      ["224.0.0.1", "224.0.0.1 is a multicast address"],
      // An IPv4-mapped IPv6 address is judged as the IPv4 address it is.
      ["::ffff:127.0.0.1", "127.0.0.1 is a loopback address"],
      ["::ffff:a9fe:a9fe", "169.254.169.254 is a link-local address"],
    ];
    for (const [address, reason] of refused) expect(addressRefusal(address, none)).toBe(`${reason}; webhooks go to public addresses unless HANDRAIL_WEBHOOK_ALLOW_NETWORKS allows it`);
  });

  it("opens exactly the configured networks, or every address with *", () => {
    const corp = parseWebhookNetworks("10.20.0.0/16, fd00::/8");
    expect(addressRefusal("10.20.3.4", corp)).toBeUndefined();
    expect(addressRefusal("::ffff:10.20.3.4", corp)).toBeUndefined();
    expect(addressRefusal("fd12::1", corp)).toBeUndefined();
    expect(addressRefusal("10.21.0.1", corp)).toMatch(/^10\.21\.0\.1 is a private address/);
    expect(addressRefusal("169.254.169.254", corp)).toMatch(/link-local/);
    expect(addressRefusal("127.0.0.1", parseWebhookNetworks("*"))).toBeUndefined();
  });

  it("names a malformed network", () => {
    for (const bad of ["10.0.0.0", "10.0.0.0/33", "intranet/8", "10.0.0.0/8/1", "fd00::/129"]) {
      expect(() => parseWebhookNetworks(`192.168.0.0/16,${bad}`)).toThrow(`"${bad}" is not a network`);
    }
  });

  it("judges a URL on every address its host resolves to, and on a literal address without resolving", async () => {
    const resolve = async (hostname: string) => {
      if (hostname === "hooks.example.com") return ["93.184.216.34"];
      if (hostname === "rebind.example.com") return ["93.184.216.34", "169.254.169.254"];
      throw new Error("ENOTFOUND");
    };
    expect(await urlRefusal("https://hooks.example.com/x", none, resolve)).toBeUndefined();
    expect(await urlRefusal("https://rebind.example.com/x", none, resolve)).toMatch(/^rebind\.example\.com resolves to 169\.254\.169\.254 is a link-local address/);
    expect(await urlRefusal("http://[::1]:8080/x", none, resolve)).toMatch(/^::1 is a loopback address/);
    expect(await urlRefusal("http://10.0.0.1/x", none, resolve)).toMatch(/^10\.0\.0\.1 is a private address/);
    // A name that does not resolve now is left to the delivery, which checks where it connects.
    expect(await urlRefusal("https://not-yet.example.com/x", none, resolve)).toBeUndefined();
  });
});

const settings = (env: Record<string, string>) => loadConfig({ NODE_ENV: "test", ...env });

describe("HANDRAIL_WEBHOOK_ALLOW_NETWORKS", () => {
  it("is read from the environment, and a bad value stops start-up naming the variable and the entry", () => {
    expect(addressRefusal("10.20.0.1", settings({ HANDRAIL_WEBHOOK_ALLOW_NETWORKS: "10.20.0.0/16" }).webhookNetworks)).toBeUndefined();
    expect(addressRefusal("10.20.0.1", settings({}).webhookNetworks)).toMatch(/private address/);
    expect(() => settings({ HANDRAIL_WEBHOOK_ALLOW_NETWORKS: "10.20.0.0/16,intranet" })).toThrow(
      'invalid configuration: HANDRAIL_WEBHOOK_ALLOW_NETWORKS: "intranet" is not a network',
    );
  });
});
