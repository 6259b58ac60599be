import type { Db } from "../../db/client";
import type { ApproverSet } from "../../db/schema";
import { invalidInput } from "../../errors";
import { asRunbook, policyRequiresApproval, type AppAbility } from "../../policy/ability";
import type { RunbookDefinition } from "../../runbooks/definition";
import { validateParams, type ParamValues } from "../../runbooks/params";
import { checkSafetyFields, safetyRequirements, scheduleApprovalsFor } from "../../runbooks/safety";
import { namedApprovers } from "../../runbooks/schema-parts";
import type { Actor } from "../actor";
import { authorize } from "../authorize";

type Runbook = Parameters<typeof asRunbook>[0] & { slug: string; currentVersionHash: string };

/** What a schedule's fires need beyond its owner's rights: approvals of the schedule itself, since nobody approves each fire. */
export interface ScheduledRunCheck {
  values: ParamValues;
  approvalsRequired: number;
  approvers: ApproverSet | null;
}

/**
 * What a schedule must satisfy for its owner, checked when it is created or changed (and again, as
 * a run request, at every fire): parameters valid and not secret (a schedule keeps them in the
 * clear), the owner allowed to run the runbook with them, the reason the runbook's risk asks for and,
 * for high risk, the confirmation typed now. A runbook whose runs need approval gives the schedule
 * the same approvals to collect before it fires (four-eyes on the schedule; see approve-schedule.ts).
 */
export async function checkScheduledRun(
  db: Db,
  actor: Actor,
  ability: AppAbility,
  runbook: Runbook,
  definition: RunbookDefinition,
  input: { params: Record<string, unknown>; reason?: string | undefined; ticket?: string | undefined; confirm?: string | undefined },
): Promise<ScheduledRunCheck> {
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
  const safetyError = checkSafetyFields(requirements, definition.risk, { reason: input.reason, ticket: input.ticket, confirm: input.confirm });
  if (safetyError) throw invalidInput(safetyError.field, `${safetyError.message} (each run the schedule starts carries it)`);
  const approvalsRequired = scheduleApprovalsFor(requirements);
  return { values: validation.values, approvalsRequired, approvers: approvalsRequired > 0 ? namedApprovers(definition.approval) : null };
}

/** A revision's approval state before anyone approved it. */
export const unapproved = (checked: Pick<ScheduledRunCheck, "approvalsRequired" | "approvers">) => ({
  approvalsRequired: checked.approvalsRequired,
  approvers: checked.approvers,
  approvedAt: null,
  approvedVersionHash: null,
  approvedRisk: null,
});

/**
 * The approvals a schedule written in a runbook's file collects, from the runbook alone: its owner's
 * policies are applied at each fire, which makes the schedule wait for approval should they ask more.
 */
export function approvalsFromDefinition(definition: RunbookDefinition, params: ParamValues): Pick<ScheduledRunCheck, "approvalsRequired" | "approvers"> {
  const approvalsRequired = scheduleApprovalsFor(safetyRequirements({ definition, values: params, policyRequiresApproval: false, dryRun: false }));
  return { approvalsRequired, approvers: approvalsRequired > 0 ? namedApprovers(definition.approval) : null };
}
