import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "../private-dir";
import { isAlive } from "../process-alive";

export class DataDirectoryLockedError extends Error {
  constructor(dataDir: string, holderPid: number) {
    super(
      `the embedded database in ${dataDir} is in use by another Handrail process (pid ${holderPid}). ` +
        "PGlite allows one process only: stop that process first, or work through the running server: " +
        "its pages, or the REST API with a token you create on its Tokens page (/tokens).",
    );
    this.name = "DataDirectoryLockedError";
  }
}

/**
 * An exclusive lock on the embedded data directory: a file created with O_EXCL holding our pid.
 * A lock whose holder is dead is stale and taken over. Returns the release function.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  ensurePrivateDir(dataDir);
  const lockPath = path.join(dataDir, "handrail.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx", mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataDirectoryLockedError(dataDir, holder);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
