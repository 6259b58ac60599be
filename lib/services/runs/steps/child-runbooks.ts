import type { Db } from "../../../db/client";
import { AppError } from "../../../errors";
import { asRunbook, type AppAbility } from "../../../policy/ability";
import { runPossibility } from "../../../policy/explain";
import { maxRisk, riskRank, type Risk, type RunbookDefinition } from "../../../runbooks/definition";
import type { ParamValues } from "../../../runbooks/params";
import type { SafetyRequirements } from "../../../runbooks/safety";
import { outputReference, placeholderName } from "../../../runbooks/schema-parts";
import { childParams } from "../../../runbooks/step-invocation";
import type { StepDefinition } from "../../../runbooks/steps";
import type { Actor } from "../../actor";
import { authorize } from "../../authorize";
import { loadRunbook } from "../../runbooks/get-runbook";

/** A `runbook:` step's runbook, as the request that reaches it will run it. */
export interface PinnedChild {
  position: number;
  stepId: string;
  slug: string;
  versionHash: string;
  risk: Risk;
}

/** Missing, archived and hidden runbooks answer alike. */
const unavailable = (step: StepDefinition) =>
  new AppError("conflict", `step ${step.id} runs runbook "${step.runbook}", which does not exist or which you may not see`);

const fedByOutput = (value: unknown) => {
  const placeholder = typeof value === "string" ? placeholderName(value) : undefined;
  return placeholder !== undefined && outputReference(placeholder) !== undefined;
};

/**
 * For each `runbook:` step: the runbook as the requester sees it now, its current version pinned,
 * and the requester's right to run it with the parameters known at request time (a parameter fed
 * by an earlier step's output is checked when the step is reached, by the request it makes then).
 * A developer who may not run a runbook cannot reach it through a step of another.
 */
export async function pinChildRunbooks(db: Db, actor: Actor, ability: AppAbility, definition: RunbookDefinition, values: ParamValues): Promise<PinnedChild[]> {
  const pinned: PinnedChild[] = [];
  for (const [position, step] of (definition.steps ?? []).entries()) {
    if (!step.runbook) continue;
    const loaded = await loadRunbook(db, step.runbook).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") throw unavailable(step);
      throw error;
    });
    const { runbook } = loaded;
    if (!ability.can("view", asRunbook(runbook))) throw unavailable(step);
    const allKnown = !Object.values(step.params ?? {}).some(fedByOutput);
    const check = { ability, action: "run" as const, subjectType: "Runbook" as const, subjectId: runbook.slug, versionHash: runbook.currentVersionHash, details: { step: step.id } };
    if (allKnown) {
      await authorize(db, actor, { ...check, subject: asRunbook(runbook, childParams(step, values, {})), label: `${runbook.slug} (step ${step.id})` });
    } else if (!runPossibility(ability, asRunbook(runbook)).possible) {
      await authorize(db, actor, { ...check, subject: asRunbook(runbook), label: `${runbook.slug} (step ${step.id})` });
    }
    pinned.push({ position, stepId: step.id, slug: runbook.slug, versionHash: runbook.currentVersionHash, risk: runbook.risk });
  }
  return pinned;
}

/**
 * A run whose steps request riskier runbooks asks, up front, for what those runbooks would: a
 * reason from medium risk, and from high risk the confirmation (this runbook's slug, typed). Each
 * request a step makes carries that reason; its approval, if it needs one, is still its own.
 */
export function withChildRisks(requirements: SafetyRequirements, definition: Pick<RunbookDefinition, "slug">, pinned: readonly PinnedChild[]): SafetyRequirements {
  if (pinned.length === 0) return requirements;
  const highest = pinned.reduce<Risk>((risk, child) => maxRisk(risk, child.risk), "low");
  return {
    ...requirements,
    reasonRequired: requirements.reasonRequired || riskRank(highest) >= riskRank("medium"),
    confirmation:
      requirements.confirmation ?? (highest === "high" ? { expected: definition.slug, label: "the runbook slug (a step of it runs a high-risk runbook)" } : null),
  };
}
