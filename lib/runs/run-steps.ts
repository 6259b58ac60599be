import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { AuditActor, AuditEventInput } from "../audit/record";
import { rowsOf, type Db } from "../db/client";
import { countPageChange } from "./page-changes";
import { runSteps, type StepStatus } from "../db/schema";
import type { RunbookDefinition } from "../runbooks/definition";
import { namedApprovers } from "../runbooks/schema-parts";
import { stepApprovalsRequired, type StepDefinition } from "../runbooks/steps";

export type RunStepRow = typeof runSteps.$inferSelect;

/**
 * Each step of a new run, `pending`, with its `approval:` frozen and each `runbook:` step's version
 * pinned, in the request's transaction.
 */
export async function insertRunSteps(tx: Db, runId: number, steps: readonly StepDefinition[], pinned: ReadonlyArray<{ position: number; versionHash: string }>): Promise<void> {
  await tx.insert(runSteps).values(
    steps.map((step, position) => ({
      runId,
      position,
      stepId: step.id,
      approvalsRequired: stepApprovalsRequired(step),
      approvers: namedApprovers(step.approval),
      childVersionHash: pinned.find((child) => child.position === position)?.versionHash ?? null,
    })),
  );
}

/** The run a `runbook:` step requested, recorded on the step that waits for it; throws (undoing the request) when the step no longer waits. */
export async function linkChildRun(tx: Db, child: { parentRunId: number; position: number; stepId: string }, childRunId: number): Promise<void> {
  const linked = await tx
    .update(runSteps)
    .set({ childRunId })
    .where(and(at(child.parentRunId, child.position), eq(runSteps.status, "waiting"), sql`${runSteps.childRunId} is null`))
    .returning({ position: runSteps.position });
  if (linked.length === 0) throw new Error(`step ${child.stepId} of run ${child.parentRunId} no longer waits for a run`);
  await countPageChange(tx, child.parentRunId);
}

export async function loadRunSteps(db: Db, runId: number): Promise<RunStepRow[]> {
  return db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.position));
}


/** A new attempt at a run of steps: the version it pins, and the steps it takes over as they ended. */
export interface ResumePlan {
  fromRunId: number;
  fromStep: string;
  versionHash: string;
  definition: RunbookDefinition;
  /** Steps before the one it starts from: as they ended in the run resumed (their outputs readable), or skipped to get there. */
  carried: Array<{ position: number; status: "succeeded" | "skipped" | "failed"; outputs: Record<string, string>; message: string; actedBy: string | null; note: string | null }>;
}

/** The carried steps of a resumed run, in the request's transaction. */
export async function carryStepStates(tx: Db, runId: number, carried: ResumePlan["carried"]): Promise<void> {
  for (const step of carried) {
    await tx
      .update(runSteps)
      .set({ status: step.status, outputs: step.outputs, message: step.message, actedBy: step.actedBy, note: step.note })
      .where(and(eq(runSteps.runId, runId), eq(runSteps.position, step.position)));
  }
}

const at = (runId: number, position: number) => and(eq(runSteps.runId, runId), eq(runSteps.position, position));

/**
 * Changes one step and counts the change on its run in one statement (a follower of the run's
 * stream compares that count); false when the step was not in a status `only` allows.
 */
async function changeStep(db: Db, runId: number, position: number, set: SQL, only?: readonly StepStatus[]): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`
      with changed as (
        update run_steps set ${set}
        where run_id = ${runId} and position = ${position}${only ? sql` and status in (${sql.join(only.map((status) => sql`${status}`), sql`, `)})` : sql``}
        returning run_id)
      update runs set page_changes = page_changes + 1 where id in (select run_id from changed) returning id`),
  );
  return rows.length > 0;
}

/** A step starts (or starts another attempt); false when someone skipped it meanwhile. */
export async function markStepStarted(db: Db, runId: number, position: number, firstSeq: number, attempt: number): Promise<boolean> {
  return changeStep(
    db,
    runId,
    position,
    sql`status = 'running', attempts = ${attempt}, started_at = coalesce(started_at, now()), first_seq = coalesce(first_seq, ${firstSeq})`,
    attempt > 1 ? ["running"] : ["pending"],
  );
}

export interface StepEnd {
  status: Extract<StepStatus, "succeeded" | "failed" | "cancelled" | "timed_out" | "interrupted">;
  exitCode: number | null;
  lastSeq: number;
  outputs: Record<string, string>;
  message: string | null;
}

export async function markStepEnded(db: Db, runId: number, position: number, end: StepEnd): Promise<void> {
  await changeStep(
    db,
    runId,
    position,
    sql`status = ${end.status}, exit_code = ${end.exitCode}, last_seq = ${end.lastSeq}, outputs = ${JSON.stringify(end.outputs)}::jsonb, message = ${end.message}, finished_at = now()`,
  );
}

/** A step whose `when:` does not hold: false when it no longer waited to start. */
export async function markStepSkipped(db: Db, runId: number, position: number, message: string): Promise<boolean> {
  const updated = await db
    .update(runSteps)
    .set({ status: "skipped", message, finishedAt: sql`now()` })
    .where(and(at(runId, position), eq(runSteps.status, "pending")))
    .returning({ position: runSteps.position });
  if (updated.length > 0) await countPageChange(db, runId);
  return updated.length > 0;
}

/** A manual step becomes the one the run waits on. */
export async function markStepWaiting(db: Db, runId: number, position: number, firstSeq: number): Promise<boolean> {
  const updated = await db
    .update(runSteps)
    .set({ status: "waiting", startedAt: sql`now()`, firstSeq })
    .where(and(at(runId, position), eq(runSteps.status, "pending")))
    .returning({ position: runSteps.position });
  if (updated.length > 0) await countPageChange(db, runId);
  return updated.length > 0;
}

/** A step with `approval:` waits for approvers before its process starts; its request expires at `expiresAt`. */
export async function markStepAwaitingApproval(db: Db, runId: number, position: number, firstSeq: number, expiresAt: Date): Promise<boolean> {
  const updated = await db
    .update(runSteps)
    .set({ status: "waiting", startedAt: sql`now()`, firstSeq, approvalExpiresAt: expiresAt })
    .where(and(at(runId, position), eq(runSteps.status, "pending"), sql`${runSteps.approvedAt} is null`))
    .returning({ position: runSteps.position });
  if (updated.length > 0) await countPageChange(db, runId);
  return updated.length > 0;
}

/** Enough people approved the step: it is pending again, and its process starts when the run is next claimed. */
export async function markStepApproved(db: Db, runId: number, position: number): Promise<void> {
  await changeStep(db, runId, position, sql`status = 'pending', approved_at = now(), started_at = null`, ["waiting"]);
}

/** When a run ends early (cancelled, interrupted), the step it was on ends with it. */
export async function endCurrentStep(db: Db, runId: number, status: "cancelled" | "interrupted", message: string): Promise<void> {
  await db
    .update(runSteps)
    .set({ status, message, finishedAt: sql`now()` })
    .where(and(eq(runSteps.runId, runId), inArray(runSteps.status, ["running", "waiting"])));
  await countPageChange(db, runId);
}

/** The audit event of something that happened to one step of a run. */
export function stepEvent(
  actor: AuditActor,
  action: "step.started" | "step.finished" | "step.skipped" | "step.completed" | "step.approval_requested" | "step.approved" | "step.rejected",
  run: { id: number; versionHash: string; runbookSlug: string },
  step: { id: string; position: number },
  details: Record<string, unknown> = {},
  outcome: AuditEventInput["outcome"] = "success",
): AuditEventInput {
  return {
    actor,
    action,
    outcome,
    subjectType: "run",
    subjectId: String(run.id),
    versionHash: run.versionHash,
    details: { runbook: run.runbookSlug, step: step.id, position: step.position, ...details },
  };
}
