import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.resolve("bin/handrail.js");
const OLD_KEY = "cli-old-key-0123456789abcdef";
const NEW_KEY = "cli-new-key-fedcba9876543210";

function handrail(dataDir: string, args: string[], env: Record<string, string>, input = "") {
  const clean = { ...process.env, DATABASE_URL: "", HANDRAIL_SECRET_KEY: "", HANDRAIL_SECRET_KEY_PREVIOUS: "", HANDRAIL_DATA_DIR: dataDir, ...env };
  return spawnSync(process.execPath, [bin, ...args], { env: clean, encoding: "utf8", input, timeout: 60_000 });
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "handrail-secrets-cli-"));

describe("secrets from the CLI", () => {
  it("sets from stdin, lists without values, rotates after a key change, deletes", () => {
    const dir = tempDir();
    const set = handrail(dir, ["secrets", "set", "pagerduty-token", "--description", "PagerDuty API"], { HANDRAIL_SECRET_KEY: OLD_KEY }, "pd-cli-value-123\n");
    expect(set.stderr).toBe("");
    expect(set.stdout).toMatch(/^created secret pagerduty-token \(key [0-9a-f]{12}\)/);

    const argv = handrail(dir, ["secrets", "set", "pagerduty-token", "the-value-in-argv"], {});
    expect(argv.status).toBe(2);
    expect(argv.stderr).toContain("the value is read from stdin, never from arguments");

    const rotating = { HANDRAIL_SECRET_KEY: NEW_KEY, HANDRAIL_SECRET_KEY_PREVIOUS: OLD_KEY };
    const list = handrail(dir, ["secrets", "list"], rotating);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/pagerduty-token\s+[0-9a-f]{12} \(previous\)\s+\S+ \S+\s+cli:\S+\s+-\s+PagerDuty API/);
    expect(list.stdout).not.toContain("pd-cli-value");

    const withoutOld = handrail(dir, ["secrets", "rotate"], { HANDRAIL_SECRET_KEY: NEW_KEY });
    expect(withoutOld.status).toBe(1);
    expect(withoutOld.stderr).toContain("neither HANDRAIL_SECRET_KEY");
    expect(handrail(dir, ["secrets", "rotate"], rotating).stdout).toContain("rotated 1 secret(s)");
    expect(handrail(dir, ["secrets", "list"], { HANDRAIL_SECRET_KEY: NEW_KEY }).stdout).toMatch(/pagerduty-token\s+[0-9a-f]{12}\s+\d/);

    expect(handrail(dir, ["secrets", "delete", "pagerduty-token"], {}).stdout).toContain("deleted secret pagerduty-token");
  }, 120_000);

  it("on an embedded data directory without HANDRAIL_SECRET_KEY, creates and uses the development key", () => {
    const dir = tempDir();
    const set = handrail(dir, ["secrets", "set", "dev-token"], {}, "dev-value");
    expect(set.stderr).toContain(`generated a development HANDRAIL_SECRET_KEY in ${path.join(dir, "secret-key")}`);
    expect(fs.statSync(path.join(dir, "secret-key")).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(path.join(dir, "secret-key"), "utf8").trim();
    expect(handrail(dir, ["secrets", "list"], { HANDRAIL_SECRET_KEY: key }).stdout).toMatch(/dev-token\s+[0-9a-f]{12}\s+\d/);
  }, 120_000);
});
