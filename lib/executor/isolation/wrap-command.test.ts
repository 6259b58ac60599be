import { describe, expect, it } from "vitest";
import { outermostPaths, wrapCommand } from "./wrap-command";

describe("wrapCommand", () => {
  const credentials = { uid: 2_000_000_005, gid: 2_000_000_005 };

  it("user mode drops to the run's ids with no capabilities before the command, which stays whole argv elements", () => {
    expect(wrapCommand({ mode: "user", argv: ["grep", "-e", "; rm -rf / $(id)"], workDir: "/w/run-1-abc", hiddenPaths: ["/srv/handrail"], credentials })).toEqual([
      "setpriv", "--reuid=2000000005", "--regid=2000000005", "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--pdeathsig=KILL", "--",
      "grep", "-e", "; rm -rf / $(id)",
    ]);
  });

  it("the sandbox hides the platform's directories, binds the run's own back through a traversable path, and drops to the run user inside", () => {
    const argv = wrapCommand({ mode: "sandbox", argv: ["./x.sh"], workDir: "/var/lib/handrail/runs-1-a/run-7-abc", hiddenPaths: ["/srv/handrail", "/srv/handrail/.handrail", "/var/lib/handrail"], credentials });
    expect(argv.slice(0, 1)).toEqual(["bwrap"]);
    expect(argv).not.toContain("--unshare-user");
    expect(argv.join(" ")).toContain("--unshare-pid --unshare-ipc --die-with-parent --tmpfs /srv/handrail --tmpfs /var/lib/handrail --perms 0711 --dir /var/lib/handrail/runs-1-a --bind /var/lib/handrail/runs-1-a/run-7-abc /var/lib/handrail/runs-1-a/run-7-abc");
    expect(argv.slice(argv.indexOf("--") + 1, argv.indexOf("--") + 3)).toEqual(["setpriv", "--reuid=2000000005"]);
    expect(argv.at(-1)).toBe("./x.sh");
  });

  it("an unprivileged sandbox uses a user namespace and keeps Handrail's uid", () => {
    const argv = wrapCommand({ mode: "sandbox", argv: ["true"], workDir: "/tmp/r/run-1-abc", hiddenPaths: [] });
    expect(argv.slice(0, 2)).toEqual(["bwrap", "--unshare-user"]);
    expect(argv).not.toContain("setpriv");
  });

  it("keeps only the outermost hidden paths", () => {
    expect(outermostPaths(["/a/b", "/a", "/c", "/a/b/c", "/ab"])).toEqual(["/a", "/ab", "/c"]);
  });
});
