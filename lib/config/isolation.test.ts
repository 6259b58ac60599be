import { describe, expect, it } from "vitest";
import { loadConfig } from "./env";
import { parseRunAs } from "./isolation";

const settings = (env: Record<string, string>) => loadConfig({ NODE_ENV: "test", ...env });

describe("HANDRAIL_RUN_AS", () => {
  it("takes a user name, a uid, uid:gid or a uid range", () => {
    expect(parseRunAs("handrail-run")).toEqual({ kind: "user", name: "handrail-run" });
    expect(parseRunAs("1500")).toEqual({ kind: "uid", uid: 1500, gid: 1500 });
    expect(parseRunAs("1500:1600")).toEqual({ kind: "uid", uid: 1500, gid: 1600 });
    expect(parseRunAs("70000-70099")).toEqual({ kind: "range", first: 70000, last: 70099 });
  });

  it("never runs as root, and names what is wrong", () => {
    expect(parseRunAs("root")).toBe("runs never execute as root");
    expect(parseRunAs("0")).toMatch(/never has uid 0/);
    expect(parseRunAs("0:0")).toMatch(/never has uid 0/);
    expect(parseRunAs("0-10")).toMatch(/uid 0 is never used/);
    expect(parseRunAs("20-10")).toMatch(/FIRST <= LAST/);
    expect(parseRunAs("a b")).toMatch(/must be a user name/);
    expect(() => settings({ HANDRAIL_RUN_AS: "root" })).toThrow("HANDRAIL_RUN_AS: runs never execute as root");
    expect(() => settings({ HANDRAIL_ISOLATION: "container" })).toThrow(/HANDRAIL_ISOLATION: must be one of auto, sandbox, user, none/);
  });

  it("defaults to auto isolation and a uid range of its own", () => {
    expect(settings({})).toMatchObject({ isolation: "auto", runAs: { kind: "range", first: 2_000_000_000, last: 2_000_000_999 } });
  });
});
