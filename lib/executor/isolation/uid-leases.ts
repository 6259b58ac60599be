import fs from "node:fs";
import path from "node:path";
import { killUid, processesOfUid, readProcStat, removeFilesOfUid } from "./processes";
import { ensureRootDirectory, SYSTEM_DIR } from "./run-dirs";

/** Where every Handrail process on a host records which run uids it holds. */
export const UID_LEASE_DIR = path.join(SYSTEM_DIR, "run-uids");

/** A holder is its pid and start time: a pid reused by another process (or after a reboot) holds nothing. */
function holderMark(pid: number): string {
  return `${pid} ${readProcStat(pid)?.startTime ?? ""}`;
}

function holderOf(file: string): number | undefined {
  try {
    const [pid, startTime] = fs.readFileSync(file, "utf8").trim().split(" ");
    const holder = Number(pid);
    return Number.isInteger(holder) && holder > 0 && readProcStat(holder)?.startTime === startTime ? holder : undefined;
  } catch {
    return undefined;
  }
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
    ensureRootDirectory(path.dirname(dir), 0o711);
    ensureRootDirectory(dir, 0o700);
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
        fs.writeFileSync(file, holderMark(process.pid), { flag: "wx", mode: 0o600 });
        // A uid leaves nothing running behind (a crashed holder's runs, or a process started by hand).
        if (processesOfUid(uid).length > 0) killUid(uid);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        if (holderOf(file) !== undefined) return false;
        // Its holder died before it could clean up: nothing of the last run under this uid may reach the next.
        removeFilesOfUid(uid);
        fs.rmSync(file, { force: true });
      }
    }
    return false;
  }
}

/** Whether a live Handrail process holds this uid now (then its processes are that process's run). */
export function uidLeaseIsLive(uid: number, dir = UID_LEASE_DIR): boolean {
  return holderOf(path.join(dir, String(uid))) !== undefined;
}
