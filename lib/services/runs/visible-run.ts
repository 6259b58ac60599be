import type { Db } from "../../db/client";
import type { AppAbility } from "../../policy/ability";
import type { Actor } from "../actor";
import { authorizeLoaded, type LoadedThing } from "../authorize";
import { loadRun, runSubjectOf, type RunRow } from "./run-dto";

/** A run as the policy checks name it. */
export function runThing(row: RunRow): LoadedThing {
  const id = String(row.run.id);
  return { subjectType: "Run", subject: runSubjectOf(row), subjectId: id, label: id, notFoundMessage: `no run ${id}` };
}

/** One run the actor may view, with their ability; a run they may not view answers 404 like a missing one. */
export async function loadVisibleRun(db: Db, actor: Actor, runId: number): Promise<{ row: RunRow; ability: AppAbility }> {
  const row = await loadRun(db, runId);
  return { row, ability: await authorizeLoaded(db, actor, runThing(row)) };
}
