/**
 * The spawner: a small process (no Next.js, no database, no platform secrets in its environment)
 * that starts every run of one worker, under its isolation mode, and relays its output over IPC.
 * Forking it is cheap where forking the web server was not, and it is the runs' supervisor: when
 * its worker dies, even by SIGKILL, the IPC channel closes and it kills every run before exiting.
 * In sandbox mode it keeps a sandbox started ahead (see sandbox-stub.ts), so a run does not wait
 * for bubblewrap to set up its namespaces, and a run of steps keeps one sandbox for all its steps
 * (step-sessions.ts).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { hostIdentity, killUid, readProcStat, removeFilesOfUid, signalGroup, signalGroupExcept } from "../isolation/processes";
import type { RunIdentity } from "../isolation/resolve";
import { createRunsRoot } from "../isolation/run-dirs";
import { UidLeases } from "../isolation/uid-leases";
import { dropPrivileges, wrapCommand, type RunCredentials } from "../isolation/wrap-command";
import { RUN_DIR_NAME, type FromSpawner, type SandboxKind, type SpawnerConfig, type ToSpawner } from "./protocol";
import { makeRunDir, readOutputsFile, writeFiles } from "./run-files";
import { SANDBOX_STUB, stubInput } from "./sandbox-stub";
import { StepSessions, type OpenedSandbox } from "./step-sessions";

interface ActiveRun {
  workDir: string;
  outputsFile: string | undefined;
  /** The uid the run's files belong to: its run user's, or this process's own when runs keep its uid. */
  fileUid: number;
  child: ResultPromise | undefined;
  pid: number | undefined;
  leasedUid: number | undefined;
  pausedByWorker: boolean;
  pendingSends: number;
  /** A step in its run's sandbox: the sandbox outlives it (step-sessions.ts ends it). */
  inSession: boolean;
}

interface WarmSandbox {
  kind: SandboxKind;
  child: ResultPromise;
  credentials: RunCredentials | undefined;
  leasedUid: number | undefined;
}

const ownUid = process.getuid?.() ?? 0;

/** Messages waiting in the IPC channel before a run's pipes are paused: bounds the spawner's memory. */
const MAX_PENDING_SENDS = 64;
/** Sandboxes kept started ahead of runs, of each kind; one for runs of steps once this spawner has seen one. */
const WARM_SANDBOXES: Record<SandboxKind, number> = { run: 2, steps: 1 };
const REFILL_DELAY_MS = 100;

const runs = new Map<number, ActiveRun>();
const warm = new Map<string, WarmSandbox>();
let warmingEnabled = true;
let stepsSeen = false;
let config: SpawnerConfig | undefined;
let runsRoot = "";
let leases: UidLeases | undefined;
const host = hostIdentity();
const signalNames = new Map(Object.entries(os.constants.signals).map(([name, number]) => [number, name]));

function send(message: FromSpawner, done?: () => void): void {
  if (!process.connected) return;
  process.send?.(message, undefined, {}, () => done?.());
}

/** Sends a run's output on, pausing its pipes while too many messages wait in the channel. */
function relay(id: number, run: ActiveRun, stream: "stdout" | "stderr", data: string): void {
  run.pendingSends++;
  if (run.pendingSends === MAX_PENDING_SENDS) updateFlow(run);
  send({ type: "output", id, stream, data }, () => {
    run.pendingSends--;
    if (run.pendingSends === MAX_PENDING_SENDS - 1) updateFlow(run);
  });
}

/** bubblewrap (and the step loop) report a command killed by a signal as 128 + its number, as a shell does. */
function exitOf(status: number | null, signal: string | null): { exitCode: number | null; signal: string | null } {
  const signalName = config?.mode === "sandbox" && status !== null && status > 128 ? signalNames.get(status - 128) : undefined;
  return signalName ? { exitCode: null, signal: signalName } : { exitCode: status, signal };
}

/** setpriv by its full path: the stub execs it after the run's own PATH is in place. */
const setprivPath = ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"].find((candidate) => fs.existsSync(candidate)) ?? "setpriv";

function dropFor(credentials: RunCredentials | undefined): string[] {
  if (!credentials) return [];
  const [, ...options] = dropPrivileges(credentials);
  return [setprivPath, ...options];
}

function updateFlow(run: ActiveRun): void {
  const paused = run.pausedByWorker || run.pendingSends >= MAX_PENDING_SENDS;
  for (const pipe of [run.child?.stdout, run.child?.stderr]) {
    if (!pipe) continue;
    if (paused) pipe.pause();
    else pipe.resume();
  }
}

function credentialsFor(identity: RunIdentity | undefined): { credentials: RunCredentials | undefined; leasedUid: number | undefined } {
  if (!identity) return { credentials: undefined, leasedUid: undefined };
  if (identity.kind === "fixed") return { credentials: { uid: identity.uid, gid: identity.gid }, leasedUid: undefined };
  const uid = (leases as UidLeases).acquire();
  return { credentials: { uid, gid: uid }, leasedUid: uid };
}

/** HOME, USER and LOGNAME of the run user, not of Handrail: the run's directory when it has no home of its own. */
function userEnv(credentials: RunCredentials | undefined, workDir: string): Record<string, string> {
  const identity = config?.identity;
  if (!identity || !credentials) return {};
  if (identity.kind === "fixed") {
    const home = identity.home && fs.existsSync(identity.home) ? identity.home : workDir;
    return { HOME: home, USER: identity.name, LOGNAME: identity.name };
  }
  const name = `handrail-run-${credentials.uid}`;
  return { HOME: workDir, USER: name, LOGNAME: name };
}

function startIsolated(
  argv: readonly string[],
  workDir: string,
  credentials: RunCredentials | undefined,
  env: Record<string, string>,
  stdin: "ignore" | "pipe",
  commandDropsPrivileges = false,
): ResultPromise {
  const active = config as SpawnerConfig;
  // A hidden path that does not exist would be created on the host as a mount point: skip it.
  const hiddenPaths = active.mode === "sandbox" ? [...active.hiddenPaths, runsRoot].filter((entry) => fs.existsSync(entry)) : [];
  const [file, ...args] = wrapCommand({ mode: active.mode, argv, workDir, hiddenPaths, credentials, commandDropsPrivileges }) as [string, ...string[]];
  return execa(file, args, { cwd: workDir, env, extendEnv: false, detached: true, stdin, buffer: false, reject: false });
}

/**
 * A sandbox's stub, in the directory it is started for (its own, before any run names it). For one
 * run it is already the run user (setpriv, one exec, costs a run ≈ 4 ms here); for a run's steps it
 * stays root and drops to the run user as it starts each step (see SESSION_LOOP).
 */
function startStub(workDir: string, credentials: RunCredentials | undefined, kind: SandboxKind): ResultPromise {
  return startIsolated(SANDBOX_STUB, workDir, credentials, { PATH: process.env.PATH ?? "/usr/bin:/bin" }, "pipe", kind === "steps");
}

function processRecord(pid: number | undefined, leasedUid: number | undefined) {
  return { host, pid: pid ?? 0, startTime: pid ? (readProcStat(pid)?.startTime ?? "") : "", uid: leasedUid ?? null };
}

function releaseDir(workDir: string, leasedUid: number | undefined): void {
  try {
    fs.rmSync(workDir, { recursive: true, force: true });
  } catch {
    // root removes whatever the run left; a failure here leaves a directory the next start removes
  }
  if (leasedUid === undefined) return;
  // The uid goes back to the pool only once nothing it wrote in /tmp and the like is left for its next holder.
  removeFilesOfUid(leasedUid);
  leases?.release(leasedUid);
}

/** Ends everything a run left: its group (and so, in the sandbox, its PID namespace) and its leased uid. */
function killRemains(pid: number | undefined, leasedUid: number | undefined): void {
  if (pid) signalGroup(pid, "SIGKILL");
  if (leasedUid !== undefined) killUid(leasedUid);
}

/** Keeps sandboxes started ahead of runs; the worker is told each one's directory, to name it for its next run. */
function fillWarmPool(): void {
  for (const kind of ["run", "steps"] as const) {
    const wanted = kind === "steps" && !stepsSeen ? 0 : WARM_SANDBOXES[kind];
    while (config?.mode === "sandbox" && warmingEnabled && [...warm.values()].filter((sandbox) => sandbox.kind === kind).length < wanted) startAhead(kind, config);
  }
}

function startAhead(kind: SandboxKind, active: SpawnerConfig): void {
  const workDir = path.join(runsRoot, `run-w${randomBytes(6).toString("hex")}`);
  let leasedUid: number | undefined;
  try {
    const identity = credentialsFor(active.identity);
    leasedUid = identity.leasedUid;
    makeRunDir(workDir, identity.credentials);
    const child = startStub(workDir, identity.credentials, kind);
    const sandbox: WarmSandbox = { kind, child, credentials: identity.credentials, leasedUid };
    warm.set(workDir, sandbox);
    const startedAt = Date.now();
    void child.then((result) => {
      if (warm.get(workDir) !== sandbox) return;
      // Ended before any run used it: forget it; one that cannot even start turns warming off.
      warm.delete(workDir);
      send({ type: "cold", workDir });
      killRemains(child.pid, leasedUid);
      releaseDir(workDir, leasedUid);
      if (Date.now() - startedAt < 5000) {
        warmingEnabled = false;
        process.stderr.write(`[spawner] sandboxes are no longer started ahead: one ended at once (${result.exitCode ?? result.signal}); runs start cold\n`);
      } else fillWarmPool();
    });
    send({ type: "warm", workDir, kind });
  } catch (error) {
    warmingEnabled = false;
    releaseDir(workDir, leasedUid);
    process.stderr.write(`[spawner] cannot start sandboxes ahead: ${(error as Error).message}\n`);
  }
}

function configure(next: SpawnerConfig): void {
  config = next;
  runsRoot = createRunsRoot();
  if (next.identity?.kind === "range") leases = new UidLeases(next.identity.first, next.identity.last);
  send({ type: "ready", runsRoot });
  fillWarmPool();
}

/** Starts a run in a sandbox started ahead when its directory names one, else from scratch. */
function launch(message: Extract<ToSpawner, { type: "start" }>, run: ActiveRun): ResultPromise {
  const { workDir } = message;
  const sandbox = warm.get(workDir);
  // The stub's shell would take a command name with "=" for an assignment: such a run starts cold.
  if (sandbox?.kind === "run" && !message.argv[0]?.includes("=")) {
    warm.delete(workDir);
    run.leasedUid = sandbox.leasedUid;
    if (sandbox.credentials) run.fileUid = sandbox.credentials.uid;
    writeFiles(workDir, message.files, sandbox.credentials);
    sandbox.child.stdin?.end(stubInput({ ...message.env, ...userEnv(sandbox.credentials, workDir) }, message.argv));
    // Not at once: starting the next sandbox would hold this thread while the run's first lines arrive.
    setTimeout(fillWarmPool, REFILL_DELAY_MS);
    return sandbox.child;
  }
  if (!RUN_DIR_NAME.test(path.basename(workDir))) throw new Error(`refusing run directory ${workDir}`);
  const identity = credentialsFor((config as SpawnerConfig).identity);
  run.leasedUid = identity.leasedUid;
  if (identity.credentials) run.fileUid = identity.credentials.uid;
  makeRunDir(workDir, identity.credentials);
  writeFiles(workDir, message.files, identity.credentials);
  return startIsolated(message.argv, workDir, identity.credentials, { ...message.env, ...userEnv(identity.credentials, workDir) }, "ignore");
}

/** The sandbox for a run's steps: the one started ahead in that directory, else a new one. */
function openSandbox(workDir: string): OpenedSandbox {
  stepsSeen = true;
  const sandbox = warm.get(workDir);
  if (sandbox?.kind === "steps") {
    warm.delete(workDir);
    setTimeout(fillWarmPool, REFILL_DELAY_MS);
    return { ...sandbox, record: processRecord(sandbox.child.pid, sandbox.leasedUid) };
  }
  if (!RUN_DIR_NAME.test(path.basename(workDir)) || path.dirname(workDir) !== runsRoot) throw new Error(`refusing run directory ${workDir}`);
  const { credentials, leasedUid } = credentialsFor((config as SpawnerConfig).identity);
  try {
    makeRunDir(workDir, credentials);
    const child = startStub(workDir, credentials, "steps");
    setTimeout(fillWarmPool, REFILL_DELAY_MS);
    return { child, credentials, leasedUid, record: processRecord(child.pid, leasedUid) };
  } catch (error) {
    releaseDir(workDir, leasedUid);
    throw error;
  }
}

const sessions = new StepSessions({
  openSandbox,
  stepStarted: (id, step) => {
    const run: ActiveRun = { ...step, outputsFile: undefined, fileUid: ownUid, pausedByWorker: false, pendingSends: 0, inSession: true };
    runs.set(id, run);
    updateFlow(run);
    send({ type: "started", id, process: processRecord(step.pid, step.leasedUid) });
  },
  relay: (id, stream, data) => {
    const run = runs.get(id);
    if (run) relay(id, run, stream, data);
  },
  stepEnded: (id, result) => {
    runs.delete(id);
    send({ type: "exit", id, ...result });
  },
  userEnv,
  dropFor,
  exitOf: (status) => exitOf(status, null),
  released: (sandbox, workDir) => {
    killRemains(sandbox.child.pid, sandbox.leasedUid);
    releaseDir(workDir, sandbox.leasedUid);
  },
  sessionEnded: (id, workDir) => {
    send({ type: "session-ended", id, workDir });
    fillWarmPool();
  },
});

/** A step of a run of steps, in the run's own sandbox (sandbox mode only: the step loop needs a PID namespace). */
function startStep(message: Extract<ToSpawner, { type: "start" }>): void {
  try {
    if (config?.mode !== "sandbox") throw new Error("steps share a sandbox only in sandbox mode");
    if (runs.has(message.id)) throw new Error(`run ${message.id} is already running here`);
    if (path.dirname(path.dirname(message.workDir)) !== runsRoot) throw new Error(`refusing step directory ${message.workDir}`);
    sessions.startStep(message, ownUid);
  } catch (error) {
    runs.delete(message.id);
    send({ type: "exit", id: message.id, exitCode: null, signal: null, error: (error as Error).message });
  }
}

async function start(message: Extract<ToSpawner, { type: "start" }>): Promise<void> {
  if (message.inSession) return startStep(message);
  const { id, workDir } = message;
  const run: ActiveRun = { workDir, outputsFile: message.outputsFile, fileUid: ownUid, child: undefined, pid: undefined, leasedUid: undefined, pausedByWorker: false, pendingSends: 0, inSession: false };
  try {
    if (!config) throw new Error("the spawner is not configured");
    if (runs.has(id)) throw new Error(`run ${id} is already running here`);
    if (path.dirname(workDir) !== runsRoot) throw new Error(`refusing run directory ${workDir}`);
    runs.set(id, run);
    const child = launch(message, run);
    run.child = child;
    run.pid = child.pid;
    if (child.pid) send({ type: "started", id, process: processRecord(child.pid, run.leasedUid) });
    for (const stream of ["stdout", "stderr"] as const) {
      const pipe = child[stream];
      pipe?.setEncoding("utf8");
      pipe?.on("data", (data: string) => relay(id, run, stream, data));
    }
    // When the first process exits, nothing it started may keep running or hold its pipes open.
    child.on("exit", () => killRemains(run.pid, run.leasedUid));
    const result = await child;
    killRemains(run.pid, run.leasedUid);
    const { exitCode, signal } = exitOf(typeof result.exitCode === "number" ? result.exitCode : null, result.signal ?? null);
    const error =
      result.failed && exitCode === null && !signal ? ((result as { originalMessage?: string }).originalMessage ?? result.shortMessage ?? "unknown error") : null;
    const outputs = run.outputsFile ? readOutputsFile(path.join(workDir, run.outputsFile), run.fileUid) : undefined;
    // Nothing of the run is left running (killRemains above): the worker hears of its end before its
    // directory and files are cleared away, and the next step of a run of steps need not wait for that.
    send({ type: "exit", id, exitCode, signal, error, ...(outputs ? { outputs } : {}) });
    finish(id, run);
  } catch (error) {
    killRemains(run.pid, run.leasedUid);
    finish(id, run);
    send({ type: "exit", id, exitCode: null, signal: null, error: (error as Error).message });
  }
}

function finish(id: number, run: ActiveRun): void {
  runs.delete(id);
  releaseDir(run.workDir, run.leasedUid);
  // A run just ended, so nothing of it is arriving to compete with: start the next sandbox ahead now
  // (a run of steps starts its next step within milliseconds).
  fillWarmPool();
}

function stop(id: number, signal: "SIGTERM" | "SIGKILL"): void {
  const run = runs.get(id);
  if (!run?.pid) return;
  if (run.inSession) sessions.stopping(id);
  if (signal === "SIGKILL") return killRemains(run.pid, run.leasedUid);
  // In the sandbox the group's leader is bubblewrap: the run's processes get the SIGTERM, bubblewrap waits for them.
  if (config?.mode === "sandbox") signalGroupExcept(run.pid, run.pid, "SIGTERM");
  else signalGroup(run.pid, "SIGTERM");
}

process.on("message", (message: ToSpawner) => {
  if (message.type === "configure") return configure(message.config);
  if (message.type === "start") return void start(message);
  if (message.type === "signal") return stop(message.id, message.signal);
  if (message.type === "close") return sessions.close(message.id);
  const run = runs.get(message.id);
  if (!run) return;
  run.pausedByWorker = message.type === "pause";
  updateFlow(run);
});

// The worker is gone (exit, crash or SIGKILL): no run may outlive it.
process.on("disconnect", () => {
  warmingEnabled = false;
  for (const [workDir, sandbox] of warm) {
    killRemains(sandbox.child.pid, sandbox.leasedUid);
    releaseDir(workDir, sandbox.leasedUid);
  }
  warm.clear();
  for (const { sandbox, workDir } of sessions.all()) {
    killRemains(sandbox.child.pid, sandbox.leasedUid);
    releaseDir(workDir, sandbox.leasedUid);
  }
  for (const [id, run] of runs) {
    if (run.inSession) continue;
    killRemains(run.pid, run.leasedUid);
    finish(id, run);
  }
  if (runsRoot) fs.rmSync(runsRoot, { recursive: true, force: true });
  process.exit(0);
});
// Terminal signals are for the worker, which stops its runs gracefully through this process.
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(name, () => undefined);
