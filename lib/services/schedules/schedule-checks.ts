import type { Db } from "../../db/client";
import { AppError, invalidInput } from "../../errors";
import { asRunbook, policyRequiresApproval, type AppAbility } from "../../policy/ability";
import type { RunbookDefinition } from "../../runbooks/definition";
import { validateParams, type ParamValues } from "../../runbooks/params";
import { checkSafetyFields, safetyRequirements } from "../../runbooks/safety";
import type { Actor } from "../actor";
import { authorize } from "../authorize";

type Runbook = Parameters<typeof asRunbook>[0] & { slug: string; currentVersionHash: string };

/**
 * What a schedule must satisfy for its owner, checked when it is created or changed (and again, as
 * a run request, at every fire): parameters valid and not secret (a schedule keeps them in the
 * clear), the owner allowed to run the runbook with them, the reason the runbook's risk asks for,
 * and no approval or typed confirmation, which nobody gives at a fire.
 */
export async function checkScheduledRun(db: Db, actor: Actor, ability: AppAbility, runbook: Runbook, definition: RunbookDefinition, input: { params: Record<string, unknown>; reason?: string | undefined; ticket?: string | undefined }): Promise<ParamValues> {
  const secret = (definition.parameters ?? []).find((parameter) => parameter.type === "secret" && input.params[parameter.name] !== undefined);
  if (secret) throw invalidInput(`params.${secret.name}`, `is a secret parameter: a schedule would keep it in the clear; have the runbook read a store secret (env: { X: { secret: name } }) instead`);
  const validation = validateParams(definition.parameters, input.params);
  if (!validation.ok) {
    const [first] = validation.errors;
    throw invalidInput(first?.field ?? "params", validation.errors.map((error) => error.message).join("; "));
  }
  await authorize(db, actor, {
    ability,
    action: "run",
    subjectType: "Runbook",
    subject: asRunbook(runbook, validation.values),
    subjectId: runbook.slug,
    label: runbook.slug,
    versionHash: runbook.currentVersionHash,
    details: { params: validation.values, schedule: true },
  });
  const requirements = safetyRequirements({ definition, values: validation.values, requestedRisk: undefined, policyRequiresApproval: policyRequiresApproval(ability, asRunbook(runbook, validation.values)), dryRun: false });
  if (requirements.approvalsRequired > 0 || requirements.confirmation) {
    throw new AppError(
      "conflict",
      `runbook "${runbook.slug}" needs ${requirements.approvalsRequired > 0 ? "another person's approval" : "a typed confirmation"} for each run (risk ${requirements.risk}); nobody gives that when a schedule fires, and approving a schedule itself is not available yet: request its runs by hand`,
    );
  }
  const safetyError = checkSafetyFields(requirements, definition.risk, { reason: input.reason, ticket: input.ticket });
  if (safetyError) throw invalidInput(safetyError.field, `${safetyError.message} (each run the schedule starts carries it)`);
  return validation.values;
}
