import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.resolve("bin/handrail.js");

function handrail(args: string[], env: Record<string, string>, input?: string) {
  const clean = { ...process.env, DATABASE_URL: "", ...env };
  return spawnSync(process.execPath, [bin, ...args], { env: clean, encoding: "utf8", input, timeout: 60_000 });
}

describe("CLI on an embedded data directory", () => {
  it("prepares users and tokens on an empty directory, with clear errors", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-cli-"));
    const env = { HANDRAIL_DATA_DIR: dataDir };
    expect(handrail(["migrate"], env).status).toBe(0);

    const added = handrail(["user", "add", "--email", "Ops@Example.com", "--name", "Ops", "--role", "operator", "--password-stdin"], env, "a long password\n");
    expect(added.stdout).toContain("created operator ops@example.com");
    expect(added.status).toBe(0);

    const duplicate = handrail(["user", "add", "--email", "ops@example.com", "--name", "Ops", "--role", "operator", "--password", "another password"], env);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain("a user with email ops@example.com already exists");

    const badRole = handrail(["user", "add", "--email", "x@example.com", "--name", "X", "--role", "root", "--password", "long enough"], env);
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toContain("role must be one of: admin, operator, developer, auditor");

    const token = handrail(["token", "create", "--email", "ops@example.com", "--label", "ci"], env);
    expect(token.status).toBe(0);
    expect(token.stdout.trim().split("\n").at(-1)).toMatch(/^hr_[A-Za-z0-9_-]{40,}$/);

    const missing = handrail(["token", "create"], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--email is required");

    expect(handrail(["frobnicate"], env).stderr).toContain('unknown command "frobnicate"');

    const worker = handrail(["worker"], env);
    expect(worker.status).toBe(2);
    expect(worker.stderr).toContain("a separate worker needs PostgreSQL");

    const sync = handrail(["runbooks", "sync"], { ...env, HANDRAIL_RUNBOOKS_DIR: path.resolve("runbooks") });
    expect(sync.stdout).toMatch(/runbooks: \d+ added, 0 changed/);
    expect(sync.status).toBe(0);
  }, 120_000);

  it("refuses to open a data directory another process holds", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-cli-"));
    const holder = spawn("sleep", ["30"]);
    try {
      fs.writeFileSync(path.join(dataDir, "handrail.lock"), String(holder.pid));
      const refused = handrail(["migrate"], { HANDRAIL_DATA_DIR: dataDir });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`is in use by another Handrail process (pid ${holder.pid})`);
      expect(refused.stderr).toContain("a token you create on its Tokens page (/tokens)");
      expect(fs.existsSync(path.join(dataDir, "pgdata"))).toBe(false);
    } finally {
      holder.kill();
    }
  });
});
