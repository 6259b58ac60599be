import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../../../audit/record";
import { database } from "../../../db";
import { rowsOf, type Db } from "../../../db/client";
import { runSteps } from "../../../db/schema";
import { AppError, invalidInput, notFound } from "../../../errors";
import { isActiveStatus, statusLabel, type RunStatus, type StepStatus } from "../../../run-statuses";
import { validateParams } from "../../../runbooks/params";
import { stepKind, type StepDefinition } from "../../../runbooks/steps";
import { continueRun } from "../../../runs/continue-run";
import { publishNotices, runChanged, runQueued, type RunNotice } from "../../../runs/notices";
import { stepEvent } from "../../../runs/run-steps";
import { countPageChange } from "../../../runs/page-changes";
import { auditActorOf, type Actor } from "../../actor";
import { parseInput } from "../../fields";
import { getRun } from "../get-run";
import type { RunDto, RunRow } from "../run-dto";
import { loadVisibleRun } from "../visible-run";
import { authorizeStepAction, pinnedDefinition } from "./step-access";
import { completeStepBody, skipStepBody } from "./step-fields";

interface StepTarget {
  row: RunRow;
  step: StepDefinition;
  position: number;
}

/** The run (404 when hidden, like a missing one), its step (404 when it has none by that id), and the right to act on it. */
async function stepTarget(db: Db, actor: Actor, runId: number, stepId: string, action: string): Promise<StepTarget> {
  const { row, ability } = await loadVisibleRun(db, actor, runId);
  const steps = (await pinnedDefinition(db, row.run.versionHash)).steps ?? [];
  const position = steps.findIndex((step) => step.id === stepId);
  const step = steps[position];
  if (!step) throw notFound(`run ${runId} has no step "${stepId.slice(0, 100)}"`);
  await authorizeStepAction(db, actor, ability, row, action, stepId);
  return { row, step, position };
}

/** Under the run's row lock: how the run and the step stand now. */
async function lockedState(tx: Db, runId: number, position: number): Promise<{ run: RunStatus; step: StepStatus; childRun: number | string | null }> {
  const [state] = rowsOf<{ run: RunStatus; step: StepStatus; childRun: number | string | null }>(
    await tx.execute(sql`
      select runs.status as run, step.status as step, step.child_run_id as "childRun" from runs
      join run_steps step on step.run_id = runs.id and step.position = ${position}
      where runs.id = ${runId} for update of runs`),
  );
  if (!state) throw notFound(`no run ${runId}`);
  return state;
}

function checkValue(step: StepDefinition, raw: string | number | boolean | undefined): Record<string, string> {
  const definition = step.value;
  if (!definition) {
    if (raw !== undefined) throw invalidInput("value", `step ${step.id} asks for no value`);
    return {};
  }
  const checked = validateParams([definition], raw === undefined ? {} : { [definition.name]: raw });
  if (!checked.ok) throw invalidInput("value", checked.errors.map((error) => error.message).join("; "));
  const value = checked.values[definition.name];
  return value === undefined ? {} : { [definition.name]: String(value) };
}

/**
 * A person ticks the manual step a run waits on: with a note (required when the step says so) and
 * the value it asks for, which later steps read as steps.<id>.outputs.<name>. Only someone who may
 * run the runbook with the run's parameters may; the run then goes on to its next step.
 */
export async function completeStep(actor: Actor, runId: number, stepId: string, input: unknown): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const { row, step, position } = await stepTarget(db, actor, runId, stepId, "complete");
  if (stepKind(step) !== "manual") throw new AppError("conflict", `step ${step.id} runs a process; only a manual step is completed by a person`);
  const body = parseInput(completeStepBody, input ?? {});
  const note = body.note ?? "";
  if (step.note === "required" && note.length === 0) throw invalidInput("note", `step ${step.id} needs a note saying what was done`);
  const outputs = checkValue(step, body.value);

  await db.transaction(async (tx) => {
    const state = await lockedState(tx, runId, position);
    if (state.run !== "waiting" || state.step !== "waiting") {
      throw new AppError("conflict", `step ${step.id} is not waiting for a person (it is ${statusLabel(state.step)}; the run is ${statusLabel(state.run)})`);
    }
    await tx
      .update(runSteps)
      .set({ status: "succeeded", actedBy: actor.user.id, note: note || null, outputs, finishedAt: sql`now()`, message: `completed by ${actor.user.email}` })
      .where(and(eq(runSteps.runId, runId), eq(runSteps.position, position)));
    await continueRun(tx, runId);
    await countPageChange(tx, runId);
    await recordAudit(
      tx,
      stepEvent(auditActorOf(actor), "step.completed", { id: runId, versionHash: row.run.versionHash, runbookSlug: row.run.runbookSlug }, { id: step.id, position }, {
        ...(note ? { note } : {}),
        ...(Object.keys(outputs).length > 0 ? { value: outputs } : {}),
        via: actor.via,
      }),
    );
  });
  await publishNotices(handle, [runQueued(runId), runChanged(runId)]);
  return getRun(actor, runId);
}

/**
 * Skips a step of a run still under way, with a reason: the manual step it waits on (the run then
 * goes on), or a step it has not reached yet. A step that has run, or a finished run, stays as it was.
 */
export async function skipStep(actor: Actor, runId: number, stepId: string, input: unknown): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const { row, step, position } = await stepTarget(db, actor, runId, stepId, "skip");
  const { reason } = parseInput(skipStepBody, input ?? {});

  const notices = await db.transaction(async (tx): Promise<RunNotice[]> => {
    const state = await lockedState(tx, runId, position);
    const waitedOn = state.run === "waiting" && state.step === "waiting";
    // Skipping would leave the run it requested going on unseen: that run is the thing to cancel.
    if (waitedOn && state.childRun !== null) {
      throw new AppError("conflict", `step ${step.id} waits for run #${state.childRun}, which it requested; cancel that run (or this one) instead of skipping`);
    }
    if (!isActiveStatus(state.run) || (state.step !== "pending" && !waitedOn)) {
      throw new AppError(
        "conflict",
        isActiveStatus(state.run)
          ? `step ${step.id} cannot be skipped: it is ${statusLabel(state.step)}`
          : `run ${runId} has finished (${statusLabel(state.run)}); resume it to go on past a step`,
      );
    }
    await tx
      .update(runSteps)
      .set({ status: "skipped", actedBy: actor.user.id, note: reason, finishedAt: sql`now()`, message: `skipped by ${actor.user.email}` })
      .where(and(eq(runSteps.runId, runId), eq(runSteps.position, position)));
    if (waitedOn) await continueRun(tx, runId);
    await countPageChange(tx, runId);
    await recordAudit(
      tx,
      stepEvent(auditActorOf(actor), "step.skipped", { id: runId, versionHash: row.run.versionHash, runbookSlug: row.run.runbookSlug }, { id: step.id, position }, {
        reason,
        by: "person",
        via: actor.via,
      }),
    );
    return waitedOn ? [runQueued(runId), runChanged(runId)] : [runChanged(runId)];
  });
  await publishNotices(handle, notices);
  return getRun(actor, runId);
}
