import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ResultPromise } from "execa";
import type { RunCredentials } from "../isolation/wrap-command";
import { STEP_DIR_NAME, type CollectedOutputs, type RunProcessRecord, type ToSpawner } from "./protocol";
import { readOutputsFile, writeFiles } from "./run-files";
import { sessionLoopInput, sessionStepInput } from "./sandbox-stub";
import { StepEndScanner } from "./step-end-scanner";

/** A sandbox whose stub waits for its input: one started ahead, or one started now. */
export interface OpenedSandbox {
  child: ResultPromise;
  credentials: RunCredentials | undefined;
  leasedUid: number | undefined;
  record: RunProcessRecord;
}

/** The step being run, as the spawner's flow control and stop see it. */
export interface SessionStepRun {
  workDir: string;
  child: ResultPromise;
  pid: number | undefined;
  leasedUid: number | undefined;
}

/** What the sessions need from the spawner that owns them. */
export interface SessionHost {
  openSandbox(workDir: string): OpenedSandbox;
  /** The step started: flow control and stop now reach it under the run's id. */
  stepStarted(id: number, run: SessionStepRun): void;
  relay(id: number, stream: "stdout" | "stderr", data: string): void;
  stepEnded(id: number, result: { exitCode: number | null; signal: string | null; error: string | null; outputs?: CollectedOutputs }): void;
  /** HOME, USER and LOGNAME for a step in this directory. */
  userEnv(credentials: RunCredentials | undefined, workDir: string): Record<string, string>;
  /** The argv prefix that drops to the run user (empty when runs keep the spawner's uid). */
  dropFor(credentials: RunCredentials | undefined): string[];
  /** The exit status a shell reports (128 + n for a signal) as an exit code or a signal name. */
  exitOf(status: number): { exitCode: number | null; signal: string | null };
  /** The sandbox ended: kill what is left, remove its directory, give back its uid. */
  released(sandbox: OpenedSandbox, workDir: string): void;
  sessionEnded(id: number, workDir: string): void;
}

interface ActiveStep {
  dir: string;
  outputsFile: string | undefined;
  fileUid: number;
  scanners: Record<"stdout" | "stderr", StepEndScanner>;
  statuses: Partial<Record<"stdout" | "stderr", number>>;
}

interface Session {
  id: number;
  workDir: string;
  sandbox: OpenedSandbox;
  step: ActiveStep | undefined;
  /** Its step was told to stop: the loop ends after it, and the run's next step gets another sandbox. */
  stopping: boolean;
}

/**
 * A run's steps in one sandbox (sandbox mode): the first step turns a stub started ahead into the
 * step loop (SESSION_LOOP), later steps are sent to that loop, each in a fresh directory of its own
 * inside the run's; a step ends when its end marker has come through both streams. Setting up a
 * sandbox per step cost ≈ 17 ms a step on these machines.
 */
export class StepSessions {
  private readonly sessions = new Map<number, Session>();

  constructor(private readonly host: SessionHost) {}

  has(id: number): boolean {
    return this.sessions.has(id);
  }

  /** Starts a step in its run's sandbox, opening the sandbox for its first step. */
  startStep(message: Extract<ToSpawner, { type: "start" }>, ownUid: number): void {
    const { id } = message;
    const sessionDir = path.dirname(message.workDir);
    const dirName = path.basename(message.workDir);
    if (!STEP_DIR_NAME.test(dirName)) throw new Error(`refusing step directory ${message.workDir}`);
    let session = this.sessions.get(id);
    if (session?.stopping && session.workDir !== sessionDir) session = undefined;
    if (session && session.workDir !== sessionDir) throw new Error(`run ${id} has its sandbox in another directory`);
    if (session?.step) throw new Error(`run ${id} is already running a step here`);
    session ??= this.open(id, sessionDir);
    const { credentials, child } = session.sandbox;
    fs.mkdirSync(message.workDir, { mode: 0o700 });
    writeFiles(message.workDir, message.files, credentials);
    const nonce = randomBytes(12).toString("hex");
    session.step = {
      dir: message.workDir,
      outputsFile: message.outputsFile,
      fileUid: credentials?.uid ?? ownUid,
      scanners: { stdout: new StepEndScanner(nonce), stderr: new StepEndScanner(nonce) },
      statuses: {},
    };
    this.host.stepStarted(id, { workDir: message.workDir, child, pid: child.pid, leasedUid: session.sandbox.leasedUid });
    const env = { ...message.env, ...this.host.userEnv(credentials, message.workDir) };
    child.stdin?.write(sessionStepInput(nonce, dirName, env, [...this.host.dropFor(credentials), ...message.argv]));
  }

  /** The run's step is being stopped: its sandbox ends with it. */
  stopping(id: number): void {
    const session = this.sessions.get(id);
    if (session) session.stopping = true;
  }

  /** The run has no more steps for now: the loop reads the end of its input and exits. */
  close(id: number): void {
    this.sessions.get(id)?.sandbox.child.stdin?.end();
  }

  /** Every session's sandbox, for a spawner that is going away. */
  all(): Array<{ sandbox: OpenedSandbox; workDir: string }> {
    return [...this.sessions.values()];
  }

  private open(id: number, workDir: string): Session {
    const sandbox = this.host.openSandbox(workDir);
    const session: Session = { id, workDir, sandbox, step: undefined, stopping: false };
    this.sessions.set(id, session);
    const { child } = sandbox;
    child.stdin?.write(sessionLoopInput());
    for (const stream of ["stdout", "stderr"] as const) {
      const pipe = child[stream];
      pipe?.setEncoding("utf8");
      pipe?.on("data", (data: string) => this.output(session, stream, data));
    }
    void child.then((result) => this.ended(session, result));
    return session;
  }

  private output(session: Session, stream: "stdout" | "stderr", data: string): void {
    const step = session.step;
    // Between steps nothing of the run is left to write.
    if (!step) return;
    const { text, status } = step.scanners[stream].push(data);
    if (text) this.host.relay(session.id, stream, text);
    if (status === undefined) return;
    step.statuses[stream] = status;
    if (step.statuses.stdout === undefined || step.statuses.stderr === undefined) return;
    session.step = undefined;
    const outputs = step.outputsFile ? readOutputsFile(path.join(step.dir, step.outputsFile), step.fileUid) : undefined;
    this.host.stepEnded(session.id, { ...this.host.exitOf(status), error: null, ...(outputs ? { outputs } : {}) });
    try {
      fs.rmSync(step.dir, { recursive: true, force: true });
    } catch {
      // the run's directory goes whole when its sandbox ends
    }
  }

  /** The loop exited: closed after the run's last step, or stopped, or killed mid-step. */
  private ended(session: Session, result: { exitCode?: number; signal?: string; failed: boolean; shortMessage?: string }): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    const step = session.step;
    session.step = undefined;
    this.host.released(session.sandbox, session.workDir);
    // Before the step's end: the worker must not send the run's next step to this sandbox.
    this.host.sessionEnded(session.id, session.workDir);
    if (step) {
      // Killed with the sandbox (a stop's SIGKILL), or the loop itself ended mid-step.
      const status = result.signal ? { exitCode: null, signal: result.signal } : this.host.exitOf(result.exitCode ?? 1);
      if (status.signal) this.host.stepEnded(session.id, { exitCode: null, signal: status.signal, error: null });
      else this.host.stepEnded(session.id, { exitCode: null, signal: null, error: `the run's sandbox ended during the step (${result.shortMessage ?? `exit ${result.exitCode}`})` });
    }
  }
}
