import os from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf, type DatabaseHandle } from "../db/client";
import { referencedSecrets, timeoutMs } from "../runbooks/definition";
import { RUN_CANCEL_CHANNEL, RUN_QUEUED_CHANNEL } from "../runs/channels";
import { OutputWriter } from "./output-writer";
import { config } from "../config/env";
import { recoverStaleRuns } from "./recover";
import { expireOverdueApprovals } from "../runs/expire-approvals";
import { settleChildSteps } from "../runs/settle-child-steps";
import { queueTokenExpiryWarnings } from "../notifications/token-events";
import { runProcess, WORKER_SHUTDOWN, type ProcessOutcome } from "./run-process";
import { runSteps, type ChildRunRequester, type StepProcess, type StepsResult } from "./step-runner";
import { endCurrentStep, stepEvent } from "../runs/run-steps";
import { waitForPerson } from "../runs/wait";
import { RunHost } from "./spawner/run-host";
import type { RunProcessRecord } from "./spawner/protocol";
import { isolationFor, type RunIsolation } from "./isolation/run-isolation";
import { finishRun } from "../runs/finish";
import { startNextQueuedRun, type StartedRun } from "../runs/start";
import { publishNotices, runChanged } from "../runs/notices";
import { clearLocalWorker, setLocalWorker, type ClaimedRun, type LocalWorker, type SlotReservation } from "../runs/local-worker";

/** How often a worker looks for tokens about to expire. */
const TOKEN_EXPIRY_CHECK_MS = 60_000;
/** How long a run's process may go without printing before it is recorded anyway. */
const PROCESS_RECORD_WAIT_MS = 25;

export interface WorkerOptions {
  handle: DatabaseHandle;
  concurrency: number;
  heartbeatTimeoutSeconds: number;
  /** Key material for sealed secret parameters (AUTH_SECRET). */
  secretKey: string | undefined;
  /** Decrypts the named store secrets; absent means this worker has no secret store configured. */
  resolveSecrets?: (names: string[]) => Promise<Record<string, string>>;
  /** Per-run output cap in bytes. */
  outputCapBytes: number;
  /** Where people open Handrail, for the links in notifications (default: HANDRAIL_PUBLIC_URL). */
  publicUrl?: string;
  /** Embedded mode has one process: any run still "running" at start-up was orphaned by a crash. */
  recoverAllOnStart?: boolean;
  pollIntervalMs?: number;
  log?: (message: string) => void;
  /** How runs are isolated; default: resolved from configuration (HANDRAIL_ISOLATION, HANDRAIL_RUN_AS). */
  isolation?: RunIsolation;
  /**
   * Start runs requested in this process as they are created, when a slot is free and nothing is
   * queued ahead (the web server's own worker); other runs still come through the queue.
   */
  takesLocalRuns?: boolean;
  /** Requests the runbook a `runbook:` step names (lib/services wires it in); without it such a step fails. */
  requestChild?: ChildRunRequester;
}

/** Claims queued runs (FOR UPDATE SKIP LOCKED), runs them, heartbeats, and recovers stale ones. */
export class Worker implements LocalWorker {
  readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly active = new Map<number, AbortController>();
  private readonly finished = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribers: Array<() => void> = [];
  private stopping = false;
  private claiming = false;
  private claimAgain = false;
  /** The claims under way: a stop waits for them, so no run is claimed behind its back. */
  private claimLoop: Promise<void> = Promise.resolve();
  /** Slots held for runs being created in this process (takesLocalRuns). */
  private reserved = 0;
  private tokensCheckedAt = 0;
  private readonly host: RunHost;
  readonly isolation: RunIsolation;

  /** Throws IsolationUnavailableError when runs cannot be isolated as configured. */
  constructor(private readonly options: WorkerOptions) {
    this.isolation = options.isolation ?? isolationFor(config(), options.handle.kind === "pglite");
    this.host = new RunHost(this.isolation.plan, this.isolation.hiddenPaths);
  }

  private get publicUrl(): string {
    return this.options.publicUrl ?? config().publicUrl;
  }

  private get handle() {
    return this.options.handle;
  }

  private log(message: string) {
    this.options.log?.(`[worker ${this.id}] ${message}`);
  }

  async start(): Promise<void> {
    const { heartbeatTimeoutSeconds } = this.options;
    await this.host.start();
    await this.recover(this.options.recoverAllOnStart ? 0 : heartbeatTimeoutSeconds);
    this.unsubscribers.push(await this.handle.subscribe(RUN_QUEUED_CHANNEL, () => this.wake()));
    this.unsubscribers.push(
      await this.handle.subscribe(RUN_CANCEL_CHANNEL, (payload) => this.active.get(Number(payload))?.abort()),
    );
    const heartbeatMs = Math.max(1000, Math.min(5000, (heartbeatTimeoutSeconds * 1000) / 3));
    this.timers.push(setInterval(() => void this.heartbeat(), heartbeatMs));
    this.timers.push(setInterval(() => void this.recover(heartbeatTimeoutSeconds), heartbeatMs));
    this.timers.push(setInterval(() => this.wake(), this.options.pollIntervalMs ?? 2000));
    if (this.options.takesLocalRuns) setLocalWorker(this);
    this.wake();
  }

  /** Stops claiming, stops running processes and waits for their runs to be recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearLocalWorker(this);
    for (const timer of this.timers) clearInterval(timer);
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    // A claim committed as the stop came in has launched its run by the time this returns: it is stopped with the others.
    await this.claimLoop;
    for (const controller of this.active.values()) controller.abort(WORKER_SHUTDOWN);
    await Promise.allSettled([...this.finished]);
    await this.host.close();
  }

  wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    this.claimLoop = this.claimWhileFree()
      .catch((error: unknown) => this.log(`claim failed: ${(error as Error).message}`))
      .finally(() => {
        this.claiming = false;
        if (this.claimAgain) {
          this.claimAgain = false;
          this.wake();
        }
      });
  }

  private hasFreeSlot(): boolean {
    return !this.stopping && this.active.size + this.reserved < this.options.concurrency;
  }

  reserveSlot(): SlotReservation | undefined {
    if (!this.hasFreeSlot()) return undefined;
    this.reserved++;
    let held = true;
    const free = () => {
      if (!held) return false;
      held = false;
      this.reserved--;
      return true;
    };
    return {
      workerId: this.id,
      start: (run) => {
        if (free()) this.launch(run);
      },
      release: () => {
        if (free()) this.wake();
      },
    };
  }

  private async claimWhileFree(): Promise<void> {
    while (this.hasFreeSlot()) {
      const claimed = await this.claimOne();
      if (!claimed) return;
      this.launch(claimed);
      // Nothing else was waiting: a run queued since then wakes the worker with its notification.
      if (!claimed.moreQueued) return;
    }
  }

  /** Runs a claimed run's process to its end and records how it ended. */
  private launch(claimed: ClaimedRun): void {
    const controller = new AbortController();
    this.active.set(claimed.id, controller);
    const done = this.execute(claimed, controller.signal)
      .catch((error: unknown) => this.log(`run ${claimed.id} failed to record: ${(error as Error).message}`))
      .finally(() => {
        this.active.delete(claimed.id);
        this.finished.delete(done);
        this.wake();
      });
    this.finished.add(done);
  }

  /** Claims the oldest runnable queued run (the `start` move), then tells viewers once it committed. */
  private async claimOne(): Promise<StartedRun | undefined> {
    const claimed = await this.handle.db.transaction((tx) => startNextQueuedRun(tx, this.id, this.options.secretKey));
    if (claimed) await publishNotices(this.handle, claimed.notices);
    return claimed;
  }

  private async execute(run: ClaimedRun, cancelSignal: AbortSignal): Promise<void> {
    const secretParams = (run.definition.parameters ?? [])
      .filter((parameter) => parameter.type === "secret" && run.params[parameter.name] !== undefined)
      .map((parameter) => String(run.params[parameter.name]));
    let secretValues: Record<string, string> = {};
    let secretsError: Error | undefined;
    const names = referencedSecrets(run.definition);
    if (names.length > 0) {
      try {
        if (!this.options.resolveSecrets) throw new Error("this worker has no secret store configured (HANDRAIL_SECRET_KEY)");
        secretValues = await this.options.resolveSecrets(names);
      } catch (error) {
        secretsError = error as Error;
      }
    }
    // Very short values would mask ordinary text everywhere; they are still passed to the run.
    const redacted = [...secretParams, ...Object.values(secretValues)].filter((value) => value.length >= 3);
    const writer = new OutputWriter(this.handle, run.id, { secrets: redacted, capBytes: this.options.outputCapBytes, ...(run.continued ? { continueAfter: run.continued } : {}) });
    const startProcess: StepProcess = (definition, step) =>
      runProcess({
        runId: run.id,
        definition,
        values: run.params,
        timeoutMs: step ? timeoutMs(definition) : run.timeoutMs,
        writer,
        secretValues,
        cancelSignal,
        dryRun: run.dryRun,
        host: this.host,
        onStarted: (record) => this.recordProcessSoon(run.id, record, writer),
        ...(step ? { step } : {}),
      });
    const walk = async (): Promise<StepsResult> => {
      if (secretsError) throw secretsError;
      if (!run.definition.steps) return { kind: "finished", outcome: await startProcess(run.definition) };
      return runSteps({ handle: this.handle, run, workerId: this.id, writer, cancelSignal, startProcess, approvalExpiresAfterMs: config().approvalExpiresAfterMs, requestChild: this.options.requestChild });
    };
    const walked = await walk()
      .catch((error: unknown): StepsResult => {
        writer.system(`executor error: ${(error as Error).message}`);
        return { kind: "finished", outcome: { status: "failed", exitCode: null, signal: null, errorMessage: (error as Error).message } };
      })
      .finally(() => this.host.endSteps(run.id));
    await writer.close();
    const processOutcome = walked.kind === "waiting" ? await this.letWait(run, walked) : walked.outcome;
    if (!processOutcome) return;
    // Output that could not be kept fails the run, even if the process itself succeeded.
    const storeFailure = writer.storeFailure;
    const outcome = storeFailure
      ? {
          ...processOutcome,
          status: processOutcome.status === "succeeded" ? ("failed" as const) : processOutcome.status,
          errorMessage: processOutcome.errorMessage ?? storeFailure,
        }
      : processOutcome;
    const notices = await this.handle.db.transaction((tx) =>
      finishRun(tx, {
        runId: run.id,
        runbookSlug: run.definition.slug,
        versionHash: run.versionHash,
        workerId: this.id,
        status: outcome.status,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        errorMessage: outcome.errorMessage,
        output: {
          lines: writer.lines,
          bytes: writer.bytes,
          sha256: writer.sha256(),
          droppedLines: writer.droppedLines,
          droppedBytes: writer.droppedBytes,
          truncated: writer.truncated,
          recount: run.continued !== undefined,
        },
        publicUrl: this.publicUrl,
        ...(run.definition.view ? { view: { lastLine: writer.lastStdoutLine, tail: writer.tail } } : {}),
      }),
    );
    // Recorded by recovery meanwhile: viewers still hear that the run changed.
    await publishNotices(this.handle, notices ?? [runChanged(run.id)]);
    this.log(`run ${run.id} ${outcome.status}`);
    // When a run's step requested this one, that step goes on now rather than at the next sweep.
    await this.settle();
  }

  /**
   * A run of steps reached a manual step: it waits for a person without this worker. Undefined when
   * it now waits (or recovery took it); the outcome to finish it with when a cancel came first.
   */
  private async letWait(run: ClaimedRun, waiting: Extract<StepsResult, { kind: "waiting" }>): Promise<ProcessOutcome | undefined> {
    const { step, position, needs } = waiting;
    const subject = { id: run.id, versionHash: run.versionHash, runbookSlug: run.definition.slug };
    // A runbook step's start was recorded as it made its request.
    const events =
      needs === "approval"
        ? [stepEvent({ type: "system", id: this.id }, "step.approval_requested", subject, { id: step.id, position }, { required: waiting.approvalsRequired, expiresAt: waiting.expiresAt.toISOString() })]
        : needs === "person"
          ? [stepEvent({ type: "system", id: this.id }, "step.started", subject, { id: step.id, position }, { manual: true })]
          : [];
    const wait = { runId: run.id, workerId: this.id, step: { id: step.id, title: step.title, needs }, publicUrl: this.publicUrl };
    const result = await this.handle.db.transaction((tx) => waitForPerson(tx, wait, events));
    if (result === "cancel") {
      await endCurrentStep(this.handle.db, run.id, "cancelled", "cancelled");
      return { status: "cancelled", exitCode: null, signal: null, errorMessage: null };
    }
    await publishNotices(this.handle, result ?? [runChanged(run.id)]);
    this.log(`run ${run.id} waits for ${needs === "approval" ? "approval" : needs === "runbook" ? "the run it requested" : "a person"} at step ${step.id}`);
    // The run it requested may have ended already (a refusal, or a quick run in this process).
    if (needs === "runbook") await this.settle();
    return undefined;
  }

  /**
   * Records the run's process for recovery once its first line is stored, or after a moment if it
   * prints nothing: written at once, the update would stand ahead of that line in the database's
   * queue, on the path of everyone following the run. The record is recovery's second line of
   * defence; the run's processes already die with this worker (see docs/security.md).
   */
  private recordProcessSoon(runId: number, record: RunProcessRecord, writer: OutputWriter): void {
    let recorded = false;
    const recordOnce = () => {
      if (recorded) return;
      recorded = true;
      clearTimeout(fallback);
      void this.recordProcess(runId, record);
    };
    const fallback = setTimeout(recordOnce, PROCESS_RECORD_WAIT_MS);
    // On a later turn of the event loop: the stored line goes to its viewers' sockets first.
    writer.afterFirstStore(() => setImmediate(recordOnce));
  }

  private async recordProcess(runId: number, record: RunProcessRecord): Promise<void> {
    try {
      await this.handle.db.execute(sql`
        update runs set process_host = ${record.host}, process_id = ${record.pid}, process_start_time = ${record.startTime}, process_uid = ${record.uid}
        where id = ${runId} and worker_id = ${this.id}`);
    } catch (error) {
      this.log(`run ${runId}: could not record its process: ${(error as Error).message}`);
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.active.size === 0) return;
    try {
      const rows = rowsOf<{ id: number | string; cancel: boolean }>(
        await this.handle.db.execute(sql`
          update runs set heartbeat_at = now() where worker_id = ${this.id} and status = 'running'
          returning id, cancel_requested_at is not null as cancel`),
      );
      for (const row of rows) if (row.cancel) this.active.get(Number(row.id))?.abort();
    } catch (error) {
      this.log(`heartbeat failed: ${(error as Error).message}`);
    }
  }

  /** Steps waiting for a run they requested that has ended go on. */
  private async settle(): Promise<void> {
    try {
      const settled = await settleChildSteps(this.handle, this.id);
      if (settled.length > 0) this.log(`runbook steps settled: runs ${settled.join(", ")}`);
    } catch (error) {
      this.log(`settling runbook steps failed: ${(error as Error).message}`);
    }
  }

  private async recover(staleAfterSeconds: number): Promise<void> {
    try {
      const ids = await recoverStaleRuns(this.handle, staleAfterSeconds, this.id, this.publicUrl);
      if (ids.length > 0) this.log(`marked interrupted: runs ${ids.join(", ")}`);
      const expired = await expireOverdueApprovals(this.handle, this.id, this.publicUrl);
      await this.settle();
      if (expired.length > 0) this.log(`approval expired: runs ${expired.join(", ")}`);
      if (Date.now() - this.tokensCheckedAt >= TOKEN_EXPIRY_CHECK_MS) {
        this.tokensCheckedAt = Date.now();
        const warned = await queueTokenExpiryWarnings(this.handle.db, this.publicUrl);
        if (warned.length > 0) this.log(`token.expiring queued for tokens ${warned.join(", ")}`);
      }
    } catch (error) {
      this.log(`recovery failed: ${(error as Error).message}`);
    }
  }
}
