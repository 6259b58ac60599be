import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { decide } from "../../policy/explain";
import { abilityFor, type Actor } from "../actor";
import { authorize, authorizeVisible } from "../authorize";
import { loadRun, runSubjectOf, type RunRow } from "./run-dto";

/**
 * The gate for every read of a run's output: a run the actor may not view answers 404 like a
 * missing one; a visible run whose output the actor may not read is 403. Both refusals are audited.
 */
export async function authorizeRunOutput(db: Db, actor: Actor, runId: number): Promise<RunRow> {
  const row = await loadRun(db, runId);
  const check = { subjectType: "Run" as const, subject: runSubjectOf(row), subjectId: String(runId), label: String(runId) };
  const ability = await authorizeVisible(db, actor, { ...check, action: "view", notFoundMessage: `no run ${runId}` });
  await authorize(db, actor, { ...check, ability, action: "read-output" });
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
  const ability = await abilityFor(actor);
  const subject = runSubjectOf(row);
  if (!ability.can("view", subject)) return `no run ${runId}`;
  const decision = decide(ability, actor.user.role, "read-output", "Run", subject, String(runId));
  return decision.allowed ? null : decision.message;
}
