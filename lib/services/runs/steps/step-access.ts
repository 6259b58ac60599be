import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runbookVersions } from "../../../db/schema";
import { asRunbook, type AppAbility } from "../../../policy/ability";
import type { RunbookDefinition } from "../../../runbooks/definition";
import type { Actor } from "../../actor";
import { authorize } from "../../authorize";
import type { RunRow } from "../run-dto";

/** The runbook of a run as policies see it, with the run's own parameters. */
export function runbookOfRun(row: RunRow) {
  return asRunbook({ slug: row.run.runbookSlug, risk: row.risk ?? "high", owner: row.owner ?? "", tags: row.tags ?? [], environment: row.environment }, row.run.params);
}

/** Whether the actor could run this run's runbook with its parameters: who may tick and skip its steps. */
export function mayActOnSteps(ability: AppAbility, row: RunRow): boolean {
  return ability.can("run", runbookOfRun(row));
}

/** Refuses (403, audited) someone who could not run the run's runbook with these parameters. */
export async function authorizeStepAction(db: Db, actor: Actor, ability: AppAbility, row: RunRow, action: string, stepId: string): Promise<void> {
  await authorize(db, actor, {
    ability,
    action: "run",
    subjectType: "Runbook",
    subject: runbookOfRun(row),
    subjectId: row.run.runbookSlug,
    label: `${row.run.runbookSlug} (step ${stepId} of run ${row.run.id})`,
    versionHash: row.run.versionHash,
    details: { run: row.run.id, step: stepId, stepAction: action },
  });
}

/** The definition the run pinned. */
export async function pinnedDefinition(db: Db, versionHash: string): Promise<RunbookDefinition> {
  const [version] = await db.select({ definition: runbookVersions.definition }).from(runbookVersions).where(eq(runbookVersions.hash, versionHash));
  if (!version) throw new Error(`runbook version ${versionHash} is missing`);
  return version.definition as RunbookDefinition;
}
