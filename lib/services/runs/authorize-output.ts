import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Actor } from "../actor";
import { authorizeLoaded, evaluate } from "../authorize";
import { loadRun, type RunRow } from "./run-dto";
import { runThing } from "./visible-run";

/**
 * The gate for every read of a run's output: a run the actor may not view answers 404 like a
 * missing one; a visible run whose output the actor may not read is 403. Both refusals are audited.
 */
export async function authorizeRunOutput(db: Db, actor: Actor, runId: number): Promise<RunRow> {
  const row = await loadRun(db, runId);
  await authorizeLoaded(db, actor, runThing(row), "read-output");
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
  const thing = runThing(row);
  const view = await evaluate(actor, { ...thing, action: "view" });
  if (!view.decision.allowed) return thing.notFoundMessage;
  const read = await evaluate(actor, { ...thing, action: "read-output", ability: view.ability });
  return read.decision.allowed ? null : read.decision.message;
}
