/**
 * The spawner: a small process (no Next.js, no database, no platform secrets in its environment)
 * that starts every run of one worker, under its isolation mode, and relays its output over IPC.
 * Forking it is cheap where forking the web server was not, and it is the runs' supervisor: when
 * its worker dies, even by SIGKILL, the IPC channel closes and it kills every run before exiting.
 * In sandbox mode it keeps a sandbox started ahead (see sandbox-stub.ts), so a run does not wait
 * for bubblewrap to set up its namespaces.
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
import { wrapCommand, type RunCredentials } from "../isolation/wrap-command";
import { MAX_OUTPUTS_FILE_BYTES, RUN_DIR_NAME, type CollectedOutputs, type FromSpawner, type RunFile, type SpawnerConfig, type ToSpawner } from "./protocol";
import { SANDBOX_STUB, stubInput } from "./sandbox-stub";

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
}

interface WarmSandbox {
  child: ResultPromise;
  credentials: RunCredentials | undefined;
  leasedUid: number | undefined;
}

/** Messages waiting in the IPC channel before a run's pipes are paused: bounds the spawner's memory. */
const MAX_PENDING_SENDS = 64;
/** Sandboxes kept started ahead of runs. */
const WARM_SANDBOXES = 2;
const REFILL_DELAY_MS = 100;

const runs = new Map<number, ActiveRun>();
const warm = new Map<string, WarmSandbox>();
let warmingEnabled = true;
let config: SpawnerConfig | undefined;
let runsRoot = "";
let leases: UidLeases | undefined;
const host = hostIdentity();
const signalNames = new Map(Object.entries(os.constants.signals).map(([name, number]) => [number, name]));

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

function writeFiles(workDir: string, files: readonly RunFile[], credentials: RunCredentials | undefined): void {
  for (const file of files) {
    const target = path.resolve(workDir, file.path);
    if (!target.startsWith(`${workDir}${path.sep}`)) throw new Error(`file ${file.path} is outside the run's directory`);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, file.content, { mode: file.mode });
  }
  if (credentials) chownTree(workDir, credentials);
}

function chownTree(dir: string, credentials: RunCredentials): void {
  fs.chownSync(dir, credentials.uid, credentials.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, credentials);
    else fs.chownSync(child, credentials.uid, credentials.gid);
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

/** A new run directory, owned by the run's uid: the script and files go in before the command starts. */
function makeRunDir(workDir: string, credentials: RunCredentials | undefined): void {
  fs.mkdirSync(workDir, { mode: 0o700 });
  if (credentials) fs.chownSync(workDir, credentials.uid, credentials.gid);
}

function startIsolated(argv: readonly string[], workDir: string, credentials: RunCredentials | undefined, env: Record<string, string>, stdin: "ignore" | "pipe"): ResultPromise {
  const active = config as SpawnerConfig;
  // A hidden path that does not exist would be created on the host as a mount point: skip it.
  const hiddenPaths = active.mode === "sandbox" ? [...active.hiddenPaths, runsRoot].filter((entry) => fs.existsSync(entry)) : [];
  const [file, ...args] = wrapCommand({ mode: active.mode, argv, workDir, hiddenPaths, credentials }) as [string, ...string[]];
  return execa(file, args, { cwd: workDir, env, extendEnv: false, detached: true, stdin, buffer: false, reject: false });
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

/** Starts sandboxes ahead of runs; the worker is told each one's directory, to name it for its next run. */
function fillWarmPool(): void {
  if (!config || config.mode !== "sandbox" || !warmingEnabled) return;
  while (warm.size < WARM_SANDBOXES) {
    const workDir = path.join(runsRoot, `run-w${randomBytes(6).toString("hex")}`);
    let leasedUid: number | undefined;
    try {
      const identity = credentialsFor(config.identity);
      leasedUid = identity.leasedUid;
      makeRunDir(workDir, identity.credentials);
      const child = startIsolated(SANDBOX_STUB, workDir, identity.credentials, { PATH: process.env.PATH ?? "/usr/bin:/bin" }, "pipe");
      const sandbox: WarmSandbox = { child, credentials: identity.credentials, leasedUid };
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
      send({ type: "warm", workDir });
    } catch (error) {
      warmingEnabled = false;
      releaseDir(workDir, leasedUid);
      process.stderr.write(`[spawner] cannot start sandboxes ahead: ${(error as Error).message}\n`);
    }
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
  if (sandbox && !message.argv[0]?.includes("=")) {
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

async function start(message: Extract<ToSpawner, { type: "start" }>): Promise<void> {
  const { id, workDir } = message;
  const run: ActiveRun = { workDir, outputsFile: message.outputsFile, fileUid: process.getuid?.() ?? 0, child: undefined, pid: undefined, leasedUid: undefined, pausedByWorker: false, pendingSends: 0 };
  try {
    if (!config) throw new Error("the spawner is not configured");
    if (runs.has(id)) throw new Error(`run ${id} is already running here`);
    if (path.dirname(workDir) !== runsRoot) throw new Error(`refusing run directory ${workDir}`);
    runs.set(id, run);
    const child = launch(message, run);
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
    child.on("exit", () => killRemains(run.pid, run.leasedUid));
    const result = await child;
    killRemains(run.pid, run.leasedUid);
    let exitCode = typeof result.exitCode === "number" ? result.exitCode : null;
    let signal: string | null = result.signal ?? null;
    // bubblewrap reports a command killed by a signal as 128 + its number, as a shell does.
    const signalName = config.mode === "sandbox" && exitCode !== null && exitCode > 128 ? signalNames.get(exitCode - 128) : undefined;
    if (signalName) [exitCode, signal] = [null, signalName];
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

/**
 * Reads a step's outputs file as the run left it. The run could have replaced it with a link to a
 * file only this process may read (it runs as root), so it is opened without following links and
 * taken only when it is a plain file of the run's own uid with one name.
 */
function readOutputsFile(file: string, uid: number): CollectedOutputs {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? "the outputs file was removed" : code === "ELOOP" ? "the outputs file was replaced by a link" : `the outputs file cannot be read (${code})` };
  }
  try {
    const stat = fs.fstatSync(descriptor);
    if (!stat.isFile()) return { problem: "the outputs file is not a plain file" };
    if (stat.uid !== uid || stat.nlink !== 1) return { problem: "the outputs file was replaced by another file" };
    if (stat.size > MAX_OUTPUTS_FILE_BYTES) return { problem: `the outputs file holds ${stat.size} bytes, more than ${MAX_OUTPUTS_FILE_BYTES}` };
    const buffer = Buffer.alloc(MAX_OUTPUTS_FILE_BYTES + 1);
    const length = fs.readSync(descriptor, buffer, 0, buffer.length, 0);
    if (length > MAX_OUTPUTS_FILE_BYTES) return { problem: `the outputs file holds more than ${MAX_OUTPUTS_FILE_BYTES} bytes` };
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length)) };
    } catch {
      return { problem: "the outputs file is not valid UTF-8 text" };
    }
  } finally {
    fs.closeSync(descriptor);
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
  if (signal === "SIGKILL") return killRemains(run.pid, run.leasedUid);
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
  warmingEnabled = false;
  for (const [workDir, sandbox] of warm) {
    killRemains(sandbox.child.pid, sandbox.leasedUid);
    releaseDir(workDir, sandbox.leasedUid);
  }
  warm.clear();
  for (const [id, run] of runs) {
    killRemains(run.pid, run.leasedUid);
    finish(id, run);
  }
  if (runsRoot) fs.rmSync(runsRoot, { recursive: true, force: true });
  process.exit(0);
});
// Terminal signals are for the worker, which stops its runs gracefully through this process.
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(name, () => undefined);
