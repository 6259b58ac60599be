import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/env";
import { clientAddress, PEER_HEADER } from "./client-address";
import { parseTrustedProxies } from "../config/trusted-proxies";
import { forwardedClient } from "./trusted-proxies";

describe("the client's address", () => {
  it("is the connection's peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(forwardedClient("198.51.100.20", "203.0.113.9", [])).toBe("198.51.100.20");
    expect(forwardedClient("127.0.0.1", "203.0.113.9, 10.0.0.1", [])).toBe("127.0.0.1");
  });

  it("is the last address before the trusted proxies, so a client cannot prepend its own", () => {
    expect(forwardedClient("127.0.0.1", "203.0.113.9", ["loopback"])).toBe("203.0.113.9");
    // The client wrote 1.2.3.4 itself; the proxy at 10.0.0.5 appended the address it saw.
    expect(forwardedClient("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.5", ["10.0.0.0/8"])).toBe("198.51.100.1");
    expect(forwardedClient("::ffff:10.0.0.2", "198.51.100.1", ["10.0.0.0/8"])).toBe("198.51.100.1");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(forwardedClient("198.51.100.20", "203.0.113.9", ["10.0.0.0/8"])).toBe("198.51.100.20");
  });

  it("refuses a trusted-proxy entry that is not an address, a range or a known name, naming the variable", () => {
    expect(parseTrustedProxies(" 10.0.0.0/8, loopback ,192.0.2.7")).toEqual(["10.0.0.0/8", "loopback", "192.0.2.7"]);
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(() => parseTrustedProxies("10.0.0.0/8,proxy.internal")).toThrow(/proxy\.internal/);
    expect(() => loadConfig({ NODE_ENV: "test", HANDRAIL_TRUSTED_PROXIES: "everyone" })).toThrow(/HANDRAIL_TRUSTED_PROXIES/);
  });
});

describe("the peer header", () => {
  const mark = Symbol.for("handrail.peerHeader");
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[mark];
  });

  it("is believed only in a process Handrail's server marked: under another server a client could send it", () => {
    const headers = new Headers({ [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": "203.0.113.9" });
    expect(clientAddress(headers)).toBeUndefined();
    (globalThis as Record<symbol, unknown>)[mark] = true;
    expect(clientAddress(headers)).toBe("198.51.100.7");
  });
});
