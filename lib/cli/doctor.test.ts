import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.resolve("bin/handrail.js");

function doctor(isolation: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-doctor-"));
  const env = { ...process.env, DATABASE_URL: "", HANDRAIL_DATA_DIR: dataDir, HANDRAIL_ISOLATION: isolation, AUTH_SECRET: "doctor-test-secret-0123456789" };
  const result = spawnSync(process.execPath, [bin, "doctor"], { env, encoding: "utf8", timeout: 60_000 });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return result;
}

describe("handrail doctor", () => {
  it.each(["sandbox", "user"])("%s: names the mechanism and proves it, every canary out of reach", (isolation) => {
    const result = doctor(isolation);
    expect(result.stdout).toContain(`isolation: ${isolation}:`);
    expect(result.stdout).toMatch(/ok {4}cannot read this process's secrets/);
    expect(result.stdout).toMatch(/ok {4}cannot read the data directory/);
    expect(result.stdout).toContain("every canary stayed out of the run's reach");
    expect(result.status).toBe(0);
  }, 60_000);

  it("none: shows what a run can reach, and fails", () => {
    const result = doctor("none");
    expect(result.stdout).toMatch(/FAIL {2}cannot read this process's secrets/);
    expect(result.stdout).toMatch(/FAIL {2}cannot read the data directory/);
    expect(result.status).toBe(1);
  }, 60_000);
});
