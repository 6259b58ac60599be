import { hostIdentity, killUid, processesOfUid, readProcStat, signalGroup } from "./processes";
import { uidLeaseIsLive } from "./uid-leases";

/** A recorded run process, as the runs table keeps it for recovery. */
export interface RecordedRunProcess {
  host: string | null;
  pid: number | null;
  startTime: string | null;
  uid: number | null;
}

/**
 * Kills what is left of a run recorded by a worker that is gone, if it is on this host and the
 * recorded pid is still that same process (not a recycled pid). Returns whether anything was killed.
 */
export function killRecordedRun(recorded: RecordedRunProcess): boolean {
  if (!recorded.pid || recorded.host !== hostIdentity()) return false;
  let killed = false;
  const stat = readProcStat(recorded.pid);
  if (stat && stat.startTime === recorded.startTime) {
    signalGroup(recorded.pid, "SIGKILL");
    killed = true;
  }
  // A leased uid is swept only while no live process holds it again for a newer run.
  if (recorded.uid && process.getuid?.() === 0 && !uidLeaseIsLive(recorded.uid) && processesOfUid(recorded.uid).length > 0) {
    killUid(recorded.uid);
    killed = true;
  }
  return killed;
}
