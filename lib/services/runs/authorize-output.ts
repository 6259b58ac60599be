import type { Db } from "../../db/client";
import type { Actor } from "../actor";
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
