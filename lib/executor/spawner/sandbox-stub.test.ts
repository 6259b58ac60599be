import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { SANDBOX_STUB, stubInput } from "./sandbox-stub";

/** The stub as a sandbox starts it (only PATH in its environment), fed `input` on stdin. */
function runStub(input: string) {
  const [file, ...args] = SANDBOX_STUB as [string, ...string[]];
  return execa(file, args, { input, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, extendEnv: false, reject: false });
}

describe("the sandbox stub", () => {
  it("gives the command exactly the environment and arguments it was sent, expanding nothing", async () => {
    const tricky = "it's $HOME `id` $(id) \\ \"quoted\"\n second line ünïcode ✓";
    const result = await runStub(stubInput({ TRICKY: tricky, EMPTY: "", PATH: "/usr/bin:/bin" }, ["/usr/bin/env", "-0"]));
    expect(result.exitCode).toBe(0);
    const entries = result.stdout.split("\0").filter(Boolean);
    expect(entries).toContain(`TRICKY=${tricky}`);
    expect(entries).toContain("EMPTY=");
    // Nothing of the stub's own leaks into the run's environment.
    expect(entries.filter((entry) => entry.startsWith("handrail_"))).toEqual([]);

    const argv = await runStub(stubInput({}, ["/usr/bin/printf", "%s|", "a b", "it's", "$(id)", "", "x\ny", "ü"]));
    expect(argv.stdout).toBe("a b|it's|$(id)||x\ny|ü|");
  });

  it("runs nothing when its input is cut short or missing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-stub-"));
    const marker = path.join(dir, "ran");
    try {
      const full = stubInput({ PATH: "/usr/bin:/bin" }, ["/usr/bin/touch", marker]);
      for (const cut of [full.slice(0, -1), full.slice(0, full.indexOf("\n") + 10), "", "junk\n", "99999999999\nx"]) {
        const result = await runStub(cut);
        expect(result.exitCode).toBe(0);
        expect(fs.existsSync(marker)).toBe(false);
      }
      expect((await runStub(full)).exitCode).toBe(0);
      expect(fs.existsSync(marker)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes the command's exit status through", async () => {
    expect((await runStub(stubInput({}, ["/bin/sh", "-c", "exit 7"]))).exitCode).toBe(7);
  });
});
