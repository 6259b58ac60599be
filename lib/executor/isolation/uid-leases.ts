import fs from "node:fs";
import path from "node:path";
import { killUid, processesOfUid } from "./processes";

/** Where every Handrail process on a host records which run uids it holds (root only, not in /tmp). */
export const UID_LEASE_DIR = "/run/handrail/run-uids";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A directory only root can write, which no one else may have planted or swapped for a link. */
function ensurePrivateDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0) throw new Error(`${dir} must be a directory owned by root`);
  fs.chmodSync(dir, 0o700);
}

/**
 * Leases one uid per run from a range, across every Handrail process on the host: a lease is a file
 * created exclusively and holding the holder's pid. A lease whose holder died is taken over after
 * every process left under that uid is killed, so two live runs never share a uid.
 */
export class UidLeases {
  private next: number;

  constructor(
    private readonly first: number,
    private readonly last: number,
    private readonly dir = UID_LEASE_DIR,
  ) {
    ensurePrivateDirectory(dir);
    this.next = first + Math.floor(Math.random() * (last - first + 1));
  }

  acquire(): number {
    const size = this.last - this.first + 1;
    for (let step = 0; step < size; step++) {
      const uid = this.first + ((this.next - this.first + step) % size);
      if (this.tryTake(uid)) {
        this.next = uid + 1 > this.last ? this.first : uid + 1;
        return uid;
      }
    }
    throw new Error(`every run uid in ${this.first}-${this.last} is in use: widen HANDRAIL_RUN_AS`);
  }

  release(uid: number): void {
    const file = path.join(this.dir, String(uid));
    if (holderOf(file) === process.pid) fs.rmSync(file, { force: true });
  }

  private tryTake(uid: number): boolean {
    const file = path.join(this.dir, String(uid));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
        // A uid leaves nothing running behind (a crashed holder's runs, or a process started by hand).
        if (processesOfUid(uid).length > 0) killUid(uid);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = holderOf(file);
        if (holder !== undefined && isAlive(holder)) return false;
        fs.rmSync(file, { force: true });
      }
    }
    return false;
  }
}

/** Whether a live Handrail process holds this uid now (then its processes are that process's run). */
export function uidLeaseIsLive(uid: number, dir = UID_LEASE_DIR): boolean {
  const holder = holderOf(path.join(dir, String(uid)));
  return holder !== undefined && isAlive(holder);
}
