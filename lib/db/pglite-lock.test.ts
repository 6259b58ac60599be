import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirectoryLockedError } from "./pglite-lock";

describe("data directory lock", () => {
  it("refuses a second holder while a live process holds it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-lock-"));
    const holder = spawn("sleep", ["30"]);
    try {
      fs.writeFileSync(path.join(dir, "handrail.lock"), String(holder.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirectoryLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(`in use by another Handrail process (pid ${holder.pid})`);
    } finally {
      holder.kill();
    }
  });

  it("takes over a stale lock whose process is gone, and releases it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-lock-"));
    fs.writeFileSync(path.join(dir, "handrail.lock"), "999999");
    const release = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, "handrail.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "handrail.lock"))).toBe(false);
  });
});
