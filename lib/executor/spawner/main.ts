/**
 * The spawner: a small process (no Next.js, no database, no platform secrets in its environment)
 * that starts every run of one worker, under its isolation mode, and relays its output over IPC.
 * Forking it is cheap where forking the web server was not, and it is the runs' supervisor: when
 * its worker dies, even by SIGKILL, the IPC channel closes and it kills every run before exiting.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { hostIdentity, killUid, readProcStat, signalGroup, signalGroupExcept } from "../isolation/processes";
import type { RunIdentity } from "../isolation/resolve";
import { UidLeases } from "../isolation/uid-leases";
import { createRunsRoot } from "../isolation/run-dirs";
import { wrapCommand, type RunCredentials } from "../isolation/wrap-command";
import { RUN_DIR_NAME, type FromSpawner, type RunFile, type SpawnerConfig, type ToSpawner } from "./protocol";

interface ActiveRun {
  workDir: string;
  child: ResultPromise | undefined;
  pid: number | undefined;
  leasedUid: number | undefined;
  pausedByWorker: boolean;
  pendingSends: number;
}

/** Messages waiting in the IPC channel before a run's pipes are paused: bounds the spawner's memory. */
const MAX_PENDING_SENDS = 64;

const runs = new Map<number, ActiveRun>();
const signalNames = new Map(Object.entries(os.constants.signals).map(([name, number]) => [number, name]));
let config: SpawnerConfig | undefined;
let runsRoot = "";
let leases: UidLeases | undefined;
const host = hostIdentity();

function send(message: FromSpawner, done?: () => void): void {
  if (!process.connected) return;
  process.send?.(message, undefined, {}, () => done?.());
}

function updateFlow(run: ActiveRun): void {
  const paused = run.pausedByWorker || run.pendingSends >= MAX_PENDING_SENDS;
  for (const pipe of [run.child?.stdout, run.child?.stderr]) {
    if (!pipe) continue;
    if (paused) pipe.pause();
    else pipe.resume();
  }
}

function configure(next: SpawnerConfig): void {
  config = next;
  runsRoot = createRunsRoot();
  if (next.identity?.kind === "range") leases = new UidLeases(next.identity.first, next.identity.last);
  send({ type: "ready", runsRoot });
}

function writeFiles(workDir: string, files: readonly RunFile[]): void {
  for (const file of files) {
    const target = path.resolve(workDir, file.path);
    if (!target.startsWith(`${workDir}${path.sep}`)) throw new Error(`file ${file.path} is outside the run's directory`);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, file.content, { mode: file.mode });
  }
}

function chownTree(dir: string, credentials: RunCredentials): void {
  fs.chownSync(dir, credentials.uid, credentials.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, credentials);
    else fs.chownSync(child, credentials.uid, credentials.gid);
  }
}

function credentialsFor(identity: RunIdentity | undefined, run: ActiveRun): RunCredentials | undefined {
  if (!identity) return undefined;
  if (identity.kind === "fixed") return { uid: identity.uid, gid: identity.gid };
  const uid = (leases as UidLeases).acquire();
  run.leasedUid = uid;
  return { uid, gid: uid };
}

/** HOME, USER and LOGNAME of the run user, not of Handrail: the run's directory when it has no home of its own. */
function userEnv(identity: RunIdentity | undefined, credentials: RunCredentials | undefined, workDir: string): Record<string, string> {
  if (!identity || !credentials) return {};
  if (identity.kind === "fixed") {
    const home = identity.home && fs.existsSync(identity.home) ? identity.home : workDir;
    return { HOME: home, USER: identity.name, LOGNAME: identity.name };
  }
  const name = `handrail-run-${credentials.uid}`;
  return { HOME: workDir, USER: name, LOGNAME: name };
}

function cleanUp(id: number, run: ActiveRun): void {
  runs.delete(id);
  try {
    fs.rmSync(run.workDir, { recursive: true, force: true });
  } catch {
    // a run may leave files its uid made unremovable by mode; root still removes them, so this is rare
  }
  if (run.leasedUid !== undefined) leases?.release(run.leasedUid);
}

/** Ends everything a run left: its group (and so, in the sandbox, its PID namespace) and its leased uid. */
function killRemains(run: ActiveRun): void {
  if (run.pid) signalGroup(run.pid, "SIGKILL");
  if (run.leasedUid !== undefined) killUid(run.leasedUid);
}

async function start(message: Extract<ToSpawner, { type: "start" }>): Promise<void> {
  const { id, workDir } = message;
  const run: ActiveRun = { workDir, child: undefined, pid: undefined, leasedUid: undefined, pausedByWorker: false, pendingSends: 0 };
  try {
    if (!config) throw new Error("the spawner is not configured");
    if (runs.has(id)) throw new Error(`run ${id} is already running here`);
    if (path.dirname(workDir) !== runsRoot || !RUN_DIR_NAME.test(path.basename(workDir))) throw new Error(`refusing run directory ${workDir}`);
    runs.set(id, run);
    fs.mkdirSync(workDir, { mode: 0o700 });
    writeFiles(workDir, message.files);
    const credentials = credentialsFor(config.identity, run);
    if (credentials) chownTree(workDir, credentials);
    // A hidden path that does not exist would be created on the host as a mount point: skip it.
    const hiddenPaths = config.mode === "sandbox" ? [...config.hiddenPaths, runsRoot].filter((entry) => fs.existsSync(entry)) : [];
    const [file, ...args] = wrapCommand({ mode: config.mode, argv: message.argv, workDir, hiddenPaths, credentials }) as [string, ...string[]];
    const child = execa(file, args, {
      cwd: workDir,
      env: { ...message.env, ...userEnv(config.identity, credentials, workDir) },
      extendEnv: false,
      detached: true,
      stdin: "ignore",
      buffer: false,
      reject: false,
    });
    run.child = child;
    run.pid = child.pid;
    if (child.pid) {
      send({ type: "started", id, process: { host, pid: child.pid, startTime: readProcStat(child.pid)?.startTime ?? "", uid: run.leasedUid ?? null } });
    }
    for (const stream of ["stdout", "stderr"] as const) {
      const pipe = child[stream];
      pipe?.setEncoding("utf8");
      pipe?.on("data", (data: string) => {
        run.pendingSends++;
        if (run.pendingSends === MAX_PENDING_SENDS) updateFlow(run);
        send({ type: "output", id, stream, data }, () => {
          run.pendingSends--;
          if (run.pendingSends === MAX_PENDING_SENDS - 1) updateFlow(run);
        });
      });
    }
    // When the first process exits, nothing it started may keep running or hold its pipes open.
    child.on("exit", () => killRemains(run));
    const result = await child;
    killRemains(run);
    let exitCode = typeof result.exitCode === "number" ? result.exitCode : null;
    let signal: string | null = result.signal ?? null;
    // bubblewrap reports a command killed by a signal as 128 + its number, as a shell does.
    const signalName = config.mode === "sandbox" && exitCode !== null && exitCode > 128 ? signalNames.get(exitCode - 128) : undefined;
    if (signalName) [exitCode, signal] = [null, signalName];
    const error =
      result.failed && exitCode === null && !signal ? ((result as { originalMessage?: string }).originalMessage ?? result.shortMessage ?? "unknown error") : null;
    cleanUp(id, run);
    send({ type: "exit", id, exitCode, signal, error });
  } catch (error) {
    killRemains(run);
    cleanUp(id, run);
    send({ type: "exit", id, exitCode: null, signal: null, error: (error as Error).message });
  }
}

function stop(id: number, signal: "SIGTERM" | "SIGKILL"): void {
  const run = runs.get(id);
  if (!run?.pid) return;
  if (signal === "SIGKILL") return killRemains(run);
  // In the sandbox the group's leader is bubblewrap: the run's processes get the SIGTERM, bubblewrap waits for them.
  if (config?.mode === "sandbox") signalGroupExcept(run.pid, run.pid, "SIGTERM");
  else signalGroup(run.pid, "SIGTERM");
}

process.on("message", (message: ToSpawner) => {
  if (message.type === "configure") return configure(message.config);
  if (message.type === "start") return void start(message);
  if (message.type === "signal") return stop(message.id, message.signal);
  const run = runs.get(message.id);
  if (!run) return;
  run.pausedByWorker = message.type === "pause";
  updateFlow(run);
});

// The worker is gone (exit, crash or SIGKILL): no run may outlive it.
process.on("disconnect", () => {
  for (const [id, run] of runs) {
    killRemains(run);
    cleanUp(id, run);
  }
  if (runsRoot) fs.rmSync(runsRoot, { recursive: true, force: true });
  process.exit(0);
});
// Terminal signals are for the worker, which stops its runs gracefully through this process.
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(name, () => undefined);
