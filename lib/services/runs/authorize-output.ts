import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Actor } from "../actor";
import { authorize, authorizeVisible, evaluate } from "../authorize";
import { loadRun, runSubjectOf, type RunRow } from "./run-dto";

/** The two questions every read of a run's output asks: may the actor see the run, and read its output. */
function outputChecks(row: RunRow, runId: number) {
  const check = { subjectType: "Run" as const, subject: runSubjectOf(row), subjectId: String(runId), label: String(runId) };
  return { view: { ...check, action: "view" as const, notFoundMessage: `no run ${runId}` }, readOutput: { ...check, action: "read-output" as const } };
}

/**
 * The gate for every read of a run's output: a run the actor may not view answers 404 like a
 * missing one; a visible run whose output the actor may not read is 403. Both refusals are audited.
 */
export async function authorizeRunOutput(db: Db, actor: Actor, runId: number): Promise<RunRow> {
  const row = await loadRun(db, runId);
  const checks = outputChecks(row, runId);
  const ability = await authorizeVisible(db, actor, checks.view);
  await authorize(db, actor, { ...checks.readOutput, ability });
  return row;
}

/**
 * The same gate asked again while output is already streaming, without recording anything: this
 * is the stream checking itself, not a person trying. Null while the actor may still read it.
 */
export async function runOutputStillReadable(db: Db, actor: Actor, runId: number): Promise<string | null> {
  let row: RunRow;
  try {
    row = await loadRun(db, runId);
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  const checks = outputChecks(row, runId);
  const view = await evaluate(actor, checks.view);
  if (!view.decision.allowed) return checks.view.notFoundMessage;
  const read = await evaluate(actor, { ...checks.readOutput, ability: view.ability });
  return read.decision.allowed ? null : read.decision.message;
}
