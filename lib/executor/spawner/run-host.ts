import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { installDir } from "../isolation/install-dir";
import { killRecordedRun } from "../isolation/recorded-run";
import type { IsolationPlan } from "../isolation/resolve";
import type { CollectedOutputs, FromSpawner, RunProcessRecord, RunStart, SandboxKind, StopSignal, ToSpawner } from "./protocol";

export interface RunHandlers {
  onStarted(record: RunProcessRecord): void;
  onOutput(stream: "stdout" | "stderr", data: string): void;
  onExit(result: { exitCode: number | null; signal: string | null; error: string | null; outputs?: CollectedOutputs }): void;
}

export interface RunHandle {
  signal(signal: StopSignal): void;
  pause(): void;
  resume(): void;
}

export type RunRequest = RunStart;

/** Variables the spawner itself needs; the platform's secrets never reach it. */
const SPAWNER_ENV = ["PATH", "LANG", "LC_ALL", "TZ"] as const;

interface Active {
  handlers: RunHandlers;
  record: RunProcessRecord | undefined;
}

/**
 * The worker's side of the spawner: starts it once, sends it runs, and routes what it reports back
 * to each run. If the spawner dies, the worker kills what its runs left and ends them with an error;
 * the next run starts a new spawner.
 */
export class RunHost {
  private child: ChildProcess | undefined;
  private ready: Promise<string> | undefined;
  private readonly active = new Map<number, Active>();
  /** Directories of sandboxes the spawner started ahead, of each kind, oldest first. */
  private warmDirs: Record<SandboxKind, string[]> = { run: [], steps: [] };
  /** The sandbox directory of each run whose steps share one (sandbox mode). */
  private readonly sessionDirs = new Map<number, string>();

  constructor(
    private readonly plan: IsolationPlan,
    private readonly hiddenPaths: readonly string[],
  ) {}

  get mode() {
    return this.plan.mode;
  }

  /** Starts the spawner (once) and resolves with its runs root, where each run's directory goes. */
  start(): Promise<string> {
    this.ready ??= new Promise<string>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { NODE_ENV: "production" };
      for (const name of SPAWNER_ENV) if (process.env[name]) env[name] = process.env[name];
      const root = installDir();
      // spawn with an IPC channel rather than fork(): the bundler would try to resolve fork's module path.
      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib", "executor", "spawner", "main.ts")], {
        cwd: root,
        env,
        detached: true,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        serialization: "json",
      });
      this.child = child;
      child.on("message", (message: FromSpawner) => {
        if (message.type === "ready") return resolve(message.runsRoot);
        this.route(message);
      });
      child.once("exit", (code, signal) => {
        reject(new Error(`the run spawner exited before it was ready (${signal ?? code})`));
        this.lost(child);
      });
      child.send({ type: "configure", config: { mode: this.plan.mode, identity: this.plan.identity, hiddenPaths: [...this.hiddenPaths] } } satisfies ToSpawner);
    });
    return this.ready;
  }

  /**
   * A fresh, unguessable directory name for a run, in the spawner's runs root (the spawner creates
   * it). In the sandbox, a step's is a fresh directory inside its run's sandbox, which all the run's
   * steps share until `endSteps`.
   */
  async workDirFor(runId: number, options: { step?: boolean } = {}): Promise<string> {
    const runsRoot = await this.start();
    const fresh = (kind: SandboxKind) => this.warmDirs[kind].shift() ?? path.join(runsRoot, `run-${runId}-${randomBytes(6).toString("hex")}`);
    if (!options.step || this.plan.mode !== "sandbox") return fresh("run");
    let sessionDir = this.sessionDirs.get(runId);
    if (!sessionDir) {
      sessionDir = fresh("steps");
      this.sessionDirs.set(runId, sessionDir);
    }
    return path.join(sessionDir, `step-${randomBytes(6).toString("hex")}`);
  }

  /** The run starts no more steps here for now (it ended, or waits for a person): its sandbox ends. */
  endSteps(runId: number): void {
    if (!this.sessionDirs.delete(runId)) return;
    this.post({ type: "close", id: runId });
  }

  run(request: RunRequest, handlers: RunHandlers): RunHandle {
    this.active.set(request.id, { handlers, record: undefined });
    const inSession = this.sessionDirs.get(request.id) === path.dirname(request.workDir);
    this.post({ type: "start", ...request, ...(inSession ? { inSession } : {}) });
    return {
      signal: (signal) => {
        // A stopped step ends its run's sandbox with it: the run's next step (a retry, say) gets another.
        if (inSession && this.sessionDirs.get(request.id) === path.dirname(request.workDir)) this.sessionDirs.delete(request.id);
        this.post({ type: "signal", id: request.id, signal });
      },
      pause: () => this.post({ type: "pause", id: request.id }),
      resume: () => this.post({ type: "resume", id: request.id }),
    };
  }

  /** Stops the spawner; the worker has ended its runs first (a run still there is killed by it). */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    this.warmDirs = { run: [], steps: [] };
    this.sessionDirs.clear();
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.disconnect();
    await exited;
  }

  private post(message: ToSpawner): void {
    if (this.child?.connected) this.child.send(message);
  }

  private route(message: FromSpawner): void {
    if (message.type === "ready") return;
    if (message.type === "warm") return void this.warmDirs[message.kind].push(message.workDir);
    if (message.type === "cold") {
      for (const kind of ["run", "steps"] as const) this.warmDirs[kind] = this.warmDirs[kind].filter((dir) => dir !== message.workDir);
      return;
    }
    if (message.type === "session-ended") {
      if (this.sessionDirs.get(message.id) === message.workDir) this.sessionDirs.delete(message.id);
      return;
    }
    const run = this.active.get(message.id);
    if (!run) return;
    if (message.type === "started") {
      run.record = message.process;
      run.handlers.onStarted(message.process);
    } else if (message.type === "output") run.handlers.onOutput(message.stream, message.data);
    else {
      this.active.delete(message.id);
      run.handlers.onExit(message);
    }
  }

  /** The spawner died with runs in flight: kill what they left here, then end them. */
  private lost(child: ChildProcess): void {
    if (this.child === child) {
      this.child = undefined;
      this.ready = undefined;
      this.warmDirs = { run: [], steps: [] };
      this.sessionDirs.clear();
    }
    for (const [id, run] of this.active) {
      this.active.delete(id);
      if (run.record) killRecordedRun(run.record);
      run.handlers.onExit({ exitCode: null, signal: null, error: "the run spawner process stopped unexpectedly" });
    }
  }
}
