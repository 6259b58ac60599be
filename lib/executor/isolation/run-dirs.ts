import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isAlive } from "../../process-alive";

/** Handrail's own directory on a host where it runs as root: run directories and uid leases. */
export const SYSTEM_DIR = "/var/lib/handrail";

/** A directory owned by root that no one else may have planted or swapped for a link. */
export function ensureRootDirectory(dir: string, mode: number): void {
  fs.mkdirSync(dir, { recursive: true, mode });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0) throw new Error(`${dir} must be a directory owned by root`);
  fs.chmodSync(dir, mode);
}

/**
 * A fresh directory for one spawner's runs: traversable but not listable (0711), so a run user
 * reaches its own directory by its exact, random name only. As root it lives in SYSTEM_DIR, not in
 * /tmp (which may be closed to other users, or shared with them); the directories of spawners that
 * died without cleaning up are removed.
 */
export function createRunsRoot(): string {
  const root = process.getuid?.() === 0;
  const base = root ? SYSTEM_DIR : os.tmpdir();
  if (root) ensureRootDirectory(base, 0o711);
  for (const name of fs.readdirSync(base)) {
    const owner = /^handrail-runs-(\d+)-/.exec(name)?.[1];
    if (owner && !isAlive(Number(owner))) fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
  const runsRoot = fs.mkdtempSync(path.join(base, `handrail-runs-${process.pid}-`));
  fs.chmodSync(runsRoot, 0o711);
  return runsRoot;
}
