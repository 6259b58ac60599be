import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** This host, as long as it stays up: a pid recorded under another boot means nothing here. */
export function hostIdentity(): string {
  let bootId = "";
  try {
    bootId = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // not Linux: the hostname alone
  }
  return `${os.hostname()}/${bootId}`;
}

interface ProcStat {
  pid: number;
  pgid: number;
  /** Clock ticks after boot at which the process started: with the pid, it names one process. */
  startTime: string;
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, pgid: Number(fields[2]), startTime: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

function listPids(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The owner of /proc/<pid> is the process's uid: one stat, cheaper than reading its status file. */
function uidOf(pid: number): number | undefined {
  try {
    return fs.statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

export function signalGroup(pgid: number, name: NodeJS.Signals): void {
  if (pgid > 1) signal(-pgid, name);
}

/**
 * Signals every member of a group but one. A sandbox's outer bubblewrap process shares the run's
 * group; a SIGTERM that reached it would end the whole PID namespace at once, without the grace
 * period the run's own processes get.
 */
export function signalGroupExcept(pgid: number, except: number, name: NodeJS.Signals): void {
  for (const pid of listPids()) {
    if (pid !== except && readProcStat(pid)?.pgid === pgid) signal(pid, name);
  }
}

export function processesOfUid(uid: number): number[] {
  return listPids().filter((pid) => uidOf(pid) === uid);
}

/**
 * Kills every process of a uid, including those that left the run's process group (setsid,
 * double fork): `kill -KILL -1` as that uid reaches exactly the processes it may signal. Repeated
 * until none is left, since a process may fork while the first pass runs.
 */
export function killUid(uid: number): void {
  if (uid <= 0) throw new Error("refusing to kill the processes of uid 0");
  for (let attempt = 0; attempt < 20 && processesOfUid(uid).length > 0; attempt++) {
    spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", "kill", "-KILL", "--", "-1"], { stdio: "ignore" });
  }
}

/** Shared scratch places a run user can write outside its own directory. */
const SHARED_SCRATCH = ["/tmp", "/var/tmp", "/dev/shm"];

/**
 * Removes what a uid left in one shared directory. A uid can only create files in directories it may
 * write: world-writable ones (looked into, a few levels deep) and its own (removed whole), so the
 * rest of a large /tmp is never walked.
 */
function removeOwnedEntries(dir: string, uid: number, depth: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const entry = path.join(dir, name);
    try {
      const stat = fs.lstatSync(entry);
      if (stat.uid === uid) fs.rmSync(entry, { recursive: true, force: true });
      else if (stat.isDirectory() && (stat.mode & 0o002) !== 0 && depth > 0) removeOwnedEntries(entry, uid, depth - 1);
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * Removes what a leased uid left in the host's shared scratch directories, so the next run that
 * leases the same uid (for someone else) cannot read it.
 */
export function removeFilesOfUid(uid: number): void {
  if (uid <= 0) throw new Error("refusing to remove the files of uid 0");
  for (const dir of SHARED_SCRATCH) removeOwnedEntries(dir, uid, 3);
}
