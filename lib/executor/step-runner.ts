import { recordAudit, type AuditActor } from "../audit/record";
import type { DatabaseHandle } from "../db/client";
import type { StepOutputs } from "../runbooks/argv";
import { conditionHolds, ConditionError, type ConditionContext } from "../runbooks/conditions";
import type { RunbookDefinition } from "../runbooks/definition";
import { parseStepOutputs } from "../runbooks/step-outputs";
import { failurePolicy, stepKind, type StepDefinition } from "../runbooks/steps";
import { stepInvocation } from "../runbooks/step-invocation";
import { publishNotices, runChanged } from "../runs/notices";
import type { ClaimedRun } from "../runs/local-worker";
import { parseDuration } from "../config/duration";
import { loadRunSteps, markStepAwaitingApproval, markStepEnded, markStepSkipped, markStepStarted, markStepWaiting, stepEvent, type RunStepRow } from "../runs/run-steps";
import type { OutputWriter } from "./output-writer";
import { WORKER_SHUTDOWN, type ProcessOutcome } from "./run-process";
import type { CollectedOutputs } from "./spawner/protocol";

/** Starts one step's process: the step's own command or script, as a one-command definition. */
export type StepProcess = (definition: RunbookDefinition, step?: { id: string; attempt: number; outputs: StepOutputs }) => Promise<ProcessOutcome>;

export interface StepsInput {
  handle: DatabaseHandle;
  run: ClaimedRun;
  workerId: string;
  writer: OutputWriter;
  cancelSignal: AbortSignal;
  startProcess: StepProcess;
  /** How long a step's approval request waits when its `approval:` does not say. */
  approvalExpiresAfterMs: number;
  /** Requests the runbook a `runbook:` step names, as the run's requester (the services do; this module cannot). */
  requestChild?: ChildRunRequester;
}

/** A full request of a `runbook:` step's runbook, linked to the step; or why it was refused. */
export type ChildRunRequester = (parentRunId: number, position: number) => Promise<{ ok: true; childRunId: number } | { ok: false; message: string }>;

/** How a walk through the steps stopped: the run ended, or it waits for a person (at a manual step, or to approve a step). */
export type StepsResult =
  | { kind: "finished"; outcome: ProcessOutcome }
  | { kind: "waiting"; step: StepDefinition; position: number; needs: "person" | "runbook" }
  | { kind: "waiting"; step: StepDefinition; position: number; needs: "approval"; approvalsRequired: number; expiresAt: Date };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** What conditions and placeholders read: parameters, and each earlier step's outcome and outputs. */
function conditionContext(params: ClaimedRun["params"], rows: readonly RunStepRow[]): ConditionContext {
  return { params, steps: Object.fromEntries(rows.map((row) => [row.stepId, { outcome: row.status, outputs: row.outputs }])) };
}

function outputsOf(rows: readonly RunStepRow[]): StepOutputs {
  return Object.fromEntries(rows.map((row) => [row.stepId, row.outputs]));
}

const failedLike = (status: ProcessOutcome["status"]) => status === "failed" || status === "timed_out";

/** How a `runbook:` step ends when the run it requested did not succeed. */
const CHILD_FAILURES: ReadonlySet<string> = new Set(["failed", "timed_out", "cancelled", "interrupted", "rejected", "expired"]);

const retryWords = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * Walks a run of steps from where it stands: each `pending` step in order, its `when:` first; an
 * automated step runs its process (retried as its `onFailure` says); a manual step hands the run
 * back to wait for a person. Every step's start, end and skip is stored and audited as it happens.
 */
export async function runSteps(input: StepsInput): Promise<StepsResult> {
  const { handle, run, writer, cancelSignal } = input;
  const db = handle.db;
  const steps = run.definition.steps ?? [];
  const actor: AuditActor = { type: "system", id: input.workerId };
  const subject = { id: run.id, versionHash: run.versionHash, runbookSlug: run.definition.slug };
  const rows = await loadRunSteps(db, run.id);
  let failedStep: { id: string; outcome: ProcessOutcome } | undefined;
  const tell = () => publishNotices(handle, [runChanged(run.id)]).catch(() => undefined);

  for (const [position, step] of steps.entries()) {
    const row = rows[position];
    if (row && stepKind(step) === "runbook" && CHILD_FAILURES.has(row.status) && failurePolicy(step.onFailure).kind !== "continue") {
      // The run it requested ended without succeeding while this run waited: the run ends here.
      failedStep = { id: step.id, outcome: { status: "failed", exitCode: null, signal: null, errorMessage: `step ${step.id}: ${row.message ?? row.status}` } };
      break;
    }
    if (!row || row.status !== "pending") continue;
    if (cancelSignal.aborted) break;
    const place = { id: step.id, position };

    if (step.when !== undefined) {
      let holds: boolean;
      try {
        holds = conditionHolds(step.when, conditionContext(run.params, rows));
      } catch (error) {
        if (!(error instanceof ConditionError)) throw error;
        const message = `when: ${step.when}: ${error.message}`;
        writer.system(`step ${step.id}: its condition cannot be evaluated: ${error.message}`);
        await markStepEnded(db, run.id, position, { status: "failed", exitCode: null, lastSeq: writer.lastSeq, outputs: {}, message });
        Object.assign(row, { status: "failed" });
        await recordAudit(db, stepEvent(actor, "step.finished", subject, place, { status: "failed", error: message }, "failure"));
        failedStep = { id: step.id, outcome: { status: "failed", exitCode: null, signal: null, errorMessage: `step ${step.id}: ${message}` } };
        break;
      }
      if (!holds) {
        const message = `skipped: when ${step.when} is false`;
        if (await markStepSkipped(db, run.id, position, message)) {
          Object.assign(row, { status: "skipped", message });
          writer.system(`step ${step.id} (${step.title}) ${message}`);
          await recordAudit(db, stepEvent(actor, "step.skipped", subject, place, { reason: message }));
          void tell();
        }
        continue;
      }
    }

    if (stepKind(step) === "manual") {
      writer.system(`step ${step.id} (${step.title}) waits for a person to complete it`);
      if (!(await markStepWaiting(db, run.id, position, writer.lastSeq))) continue;
      return { kind: "waiting", step, position, needs: "person" };
    }

    if (stepKind(step) === "runbook") {
      writer.system(`step ${step.id} (${step.title}) requests runbook ${step.runbook}`);
      if (!(await markStepWaiting(db, run.id, position, writer.lastSeq))) continue;
      await recordAudit(db, stepEvent(actor, "step.started", subject, place, { requests: step.runbook }));
      void tell();
      const requested = input.requestChild ? await input.requestChild(run.id, position) : { ok: false as const, message: "this worker cannot request runbooks" };
      if (requested.ok) {
        writer.system(`step ${step.id} waits for run #${requested.childRunId} of ${step.runbook}`);
        return { kind: "waiting", step, position, needs: "runbook" };
      }
      writer.system(`step ${step.id}: ${requested.message}`);
      await db.transaction(async (tx) => {
        await markStepEnded(tx, run.id, position, { status: "failed", exitCode: null, lastSeq: writer.lastSeq, outputs: {}, message: requested.message });
        await recordAudit(tx, stepEvent(actor, "step.finished", subject, place, { status: "failed", error: requested.message }, "failure"));
      });
      Object.assign(row, { status: "failed" });
      if (failurePolicy(step.onFailure).kind === "continue") continue;
      failedStep = { id: step.id, outcome: { status: "failed", exitCode: null, signal: null, errorMessage: `step ${step.id}: ${requested.message}` } };
      break;
    }

    if (row.approvalsRequired > 0 && row.approvedAt === null) {
      const expiresAfter = step.approval?.expiresAfter;
      const expiresAt = new Date(Date.now() + ((expiresAfter ? parseDuration(expiresAfter) : undefined) ?? input.approvalExpiresAfterMs));
      writer.system(`step ${step.id} (${step.title}) waits for approval by ${row.approvalsRequired === 1 ? "another person" : `${row.approvalsRequired} other people`}`);
      if (!(await markStepAwaitingApproval(db, run.id, position, writer.lastSeq, expiresAt))) continue;
      return { kind: "waiting", step, position, needs: "approval", approvalsRequired: row.approvalsRequired, expiresAt };
    }

    const policy = failurePolicy(step.onFailure);
    const attempts = policy.kind === "retry" ? policy.times + 1 : 1;
    let outcome: ProcessOutcome | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      writer.system(attempts > 1 ? `step ${step.id} (${step.title}), attempt ${attempt} of ${attempts}` : `step ${step.id} (${step.title})`);
      const startedEvent = stepEvent(actor, "step.started", subject, place, attempt > 1 ? { attempt } : {});
      // The step's start and its audit event commit together, before its process starts.
      const began = await db.transaction(async (tx) => {
        if (!(await markStepStarted(tx, run.id, position, writer.lastSeq, attempt))) return false;
        await recordAudit(tx, startedEvent);
        return true;
      });
      if (!began) break;
      void tell();
      const earlier = outputsOf(rows);
      outcome = await input.startProcess(stepInvocation(run.definition, step, earlier), { id: step.id, attempt, outputs: earlier });
      const outputs = collectOutputs(outcome.outputs, writer, step.id);
      const status = outcome.status;
      const retrying = failedLike(status) && attempt < attempts && !cancelSignal.aborted;
      const summary = { status, exitCode: outcome.exitCode, ...(attempts > 1 ? { attempt } : {}), ...(Object.keys(outputs).length > 0 ? { outputs: Object.keys(outputs) } : {}) };
      const finishedEvent = stepEvent(actor, "step.finished", subject, place, summary, status === "succeeded" ? "success" : "failure");
      if (retrying) {
        await recordAudit(db, finishedEvent);
        const delay = policy.kind === "retry" ? policy.backoffMs * 2 ** (attempt - 1) : 0;
        writer.system(`step ${step.id} ${status === "timed_out" ? "timed out" : "failed"}; retrying in ${retryWords(delay)}`);
        await sleep(delay, cancelSignal);
        if (cancelSignal.aborted) {
          const stopped = cancelSignal.reason === WORKER_SHUTDOWN ? "interrupted" : "cancelled";
          await markStepEnded(db, run.id, position, { status: stopped, exitCode: outcome.exitCode, lastSeq: writer.lastSeq, outputs, message: `${stopped} while waiting to retry` });
          return { kind: "finished", outcome: { status: stopped, exitCode: null, signal: null, errorMessage: null } };
        }
        continue;
      }
      const end = { status, exitCode: outcome.exitCode, lastSeq: writer.lastSeq, outputs, message: outcome.errorMessage };
      await db.transaction(async (tx) => {
        await markStepEnded(tx, run.id, position, end);
        await recordAudit(tx, finishedEvent);
      });
      Object.assign(row, { status, outputs });
      void tell();
      break;
    }
    if (!outcome || outcome.status === "succeeded") continue;
    if (!failedLike(outcome.status)) return { kind: "finished", outcome };
    if (policy.kind === "continue" && !cancelSignal.aborted) {
      writer.system(`step ${step.id} did not succeed; going on (onFailure: continue)`);
      continue;
    }
    failedStep = { id: step.id, outcome };
    break;
  }

  if (failedStep) {
    const { outcome } = failedStep;
    return { kind: "finished", outcome: { ...outcome, errorMessage: outcome.errorMessage ?? `step ${failedStep.id} ${outcome.status === "timed_out" ? "timed out" : "failed"}` } };
  }
  if (cancelSignal.aborted) return { kind: "finished", outcome: { status: "cancelled", exitCode: null, signal: null, errorMessage: null } };
  return { kind: "finished", outcome: { status: "succeeded", exitCode: 0, signal: null, errorMessage: null } };
}

/** A step's outputs as data: secrets masked, lines that could not be read reported in its output. */
function collectOutputs(collected: CollectedOutputs | undefined, writer: OutputWriter, stepId: string): Record<string, string> {
  if (!collected) return {};
  if ("problem" in collected) {
    writer.system(`step ${stepId}: outputs not read: ${collected.problem}`);
    return {};
  }
  const { outputs, problems } = parseStepOutputs(collected.text);
  for (const problem of problems) writer.system(`step ${stepId}: $HANDRAIL_OUTPUTS ${problem}`);
  return Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, writer.redact(value)]));
}
