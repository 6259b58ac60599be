import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { AuditActor, AuditEventInput } from "../audit/record";
import type { Db } from "../db/client";
import { runs, runSteps, type StepStatus } from "../db/schema";
import type { RunbookDefinition } from "../runbooks/definition";
import type { StepDefinition } from "../runbooks/steps";

export type RunStepRow = typeof runSteps.$inferSelect;

/** Each step of a new run, `pending`, in the request's transaction. */
export async function insertRunSteps(tx: Db, runId: number, steps: readonly StepDefinition[]): Promise<void> {
  await tx.insert(runSteps).values(steps.map((step, position) => ({ runId, position, stepId: step.id })));
}

export async function loadRunSteps(db: Db, runId: number): Promise<RunStepRow[]> {
  return db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.position));
}

/** Tells followers of the run's stream that a step changed (they compare this count). */
export async function bumpStepChanges(db: Db, runId: number): Promise<void> {
  await db.update(runs).set({ stepChanges: sql`${runs.stepChanges} + 1` }).where(eq(runs.id, runId));
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

/** A step starts (or starts another attempt); false when someone skipped it meanwhile. */
export async function markStepStarted(db: Db, runId: number, position: number, firstSeq: number, attempt: number): Promise<boolean> {
  const updated = await db
    .update(runSteps)
    .set({ status: "running", attempts: attempt, startedAt: sql`coalesce(${runSteps.startedAt}, now())`, firstSeq: sql`coalesce(${runSteps.firstSeq}, ${firstSeq})` })
    .where(and(at(runId, position), inArray(runSteps.status, attempt > 1 ? ["running"] : ["pending"])))
    .returning({ position: runSteps.position });
  if (updated.length > 0) await bumpStepChanges(db, runId);
  return updated.length > 0;
}

export interface StepEnd {
  status: Extract<StepStatus, "succeeded" | "failed" | "cancelled" | "timed_out" | "interrupted">;
  exitCode: number | null;
  lastSeq: number;
  outputs: Record<string, string>;
  message: string | null;
}

export async function markStepEnded(db: Db, runId: number, position: number, end: StepEnd): Promise<void> {
  await db
    .update(runSteps)
    .set({ status: end.status, exitCode: end.exitCode, lastSeq: end.lastSeq, outputs: end.outputs, message: end.message, finishedAt: sql`now()` })
    .where(at(runId, position));
  await bumpStepChanges(db, runId);
}

/** A step whose `when:` does not hold: false when it no longer waited to start. */
export async function markStepSkipped(db: Db, runId: number, position: number, message: string): Promise<boolean> {
  const updated = await db
    .update(runSteps)
    .set({ status: "skipped", message, finishedAt: sql`now()` })
    .where(and(at(runId, position), eq(runSteps.status, "pending")))
    .returning({ position: runSteps.position });
  if (updated.length > 0) await bumpStepChanges(db, runId);
  return updated.length > 0;
}

/** A manual step becomes the one the run waits on. */
export async function markStepWaiting(db: Db, runId: number, position: number, firstSeq: number): Promise<boolean> {
  const updated = await db
    .update(runSteps)
    .set({ status: "waiting", startedAt: sql`now()`, firstSeq })
    .where(and(at(runId, position), eq(runSteps.status, "pending")))
    .returning({ position: runSteps.position });
  if (updated.length > 0) await bumpStepChanges(db, runId);
  return updated.length > 0;
}

/** When a run ends early (cancelled, interrupted), the step it was on ends with it. */
export async function endCurrentStep(db: Db, runId: number, status: "cancelled" | "interrupted", message: string): Promise<void> {
  await db
    .update(runSteps)
    .set({ status, message, finishedAt: sql`now()` })
    .where(and(eq(runSteps.runId, runId), inArray(runSteps.status, ["running", "waiting"])));
  await bumpStepChanges(db, runId);
}

/** The audit event of something that happened to one step of a run. */
export function stepEvent(
  actor: AuditActor,
  action: "step.started" | "step.finished" | "step.skipped" | "step.completed",
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
