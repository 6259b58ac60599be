import { describe, expect, it } from "vitest";
import { resolveIsolation, type HostAbilities } from "./resolve";
import { DEFAULT_RUN_AS } from "../../config/isolation";

const host = (root: boolean, bubblewrap: boolean): HostAbilities => ({ root, sandboxWorks: () => bubblewrap });

describe("resolveIsolation", () => {
  it("auto takes the sandbox where bubblewrap works, on either database", () => {
    expect(resolveIsolation("auto", DEFAULT_RUN_AS, false, host(true, true)).mode).toBe("sandbox");
    expect(resolveIsolation("auto", DEFAULT_RUN_AS, true, host(false, true))).toMatchObject({ mode: "sandbox", identity: undefined });
  });

  it("auto without bubblewrap gives a root install a uid per run, with no setup", () => {
    expect(resolveIsolation("auto", DEFAULT_RUN_AS, false, host(true, false))).toMatchObject({ mode: "user", identity: { kind: "range" } });
  });

  it("auto as root without bubblewrap never falls back to root runs: one named run user is refused", () => {
    expect(() => resolveIsolation("auto", { kind: "user", name: "nobody" }, true, host(true, false))).toThrow(/concurrent runs read each other's environment/);
  });

  it("auto with nothing that works: none on the embedded database, a refusal naming what to install on PostgreSQL", () => {
    expect(resolveIsolation("auto", DEFAULT_RUN_AS, true, host(false, false)).mode).toBe("none");
    expect(() => resolveIsolation("auto", DEFAULT_RUN_AS, false, host(false, false))).toThrow(/install bubblewrap .*or set HANDRAIL_ISOLATION=none/);
  });

  it("an explicit mode that cannot work refuses instead of falling back", () => {
    expect(() => resolveIsolation("sandbox", DEFAULT_RUN_AS, true, host(true, false))).toThrow(/bubblewrap cannot start a sandbox here/);
    expect(() => resolveIsolation("user", DEFAULT_RUN_AS, true, host(false, true))).toThrow(/needs Handrail to start as root/);
    expect(() => resolveIsolation("user", { kind: "uid", uid: 1500, gid: 1500 }, false, host(true, true))).toThrow(/concurrent runs read each other's environment/);
  });

  it("none must be asked for", () => {
    expect(resolveIsolation("none", DEFAULT_RUN_AS, false, host(true, true)).mode).toBe("none");
  });
});
