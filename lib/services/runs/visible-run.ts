import type { Db } from "../../db/client";
import type { AppAbility } from "../../policy/ability";
import type { Actor } from "../actor";
import { authorizeVisible } from "../authorize";
import { loadRun, runSubjectOf, type RunRow } from "./run-dto";

/** One run the actor may view, with their ability; a run they may not view answers 404 like a missing one. */
export async function loadVisibleRun(db: Db, actor: Actor, runId: number): Promise<{ row: RunRow; ability: AppAbility }> {
  const row = await loadRun(db, runId);
  const ability = await authorizeVisible(db, actor, {
    action: "view",
    subjectType: "Run",
    subject: runSubjectOf(row),
    subjectId: String(runId),
    label: String(runId),
    notFoundMessage: `no run ${runId}`,
  });
  return { row, ability };
}
