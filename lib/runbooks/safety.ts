import { z } from "zod";
import { approvalsRequiredBy, maxRisk, riskLevels, riskRank, type Risk, type RunbookDefinition } from "./definition";
import type { ParamValues } from "./params";

/** Pure and browser-safe: the run form shows exactly the requirements the server enforces. */

/** An incident or change reference as people write them: INC-1234, CHG0042, PD#P1XYZ, JIRA/OPS-7. */
export const ticketSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:#/-]{1,63}$/, "must be an incident or change id such as INC-1234 or CHG-42 (letters, digits and - _ . : # /, no spaces)");

export const breakGlassSchema = z
  .object({
    justification: z.string().trim().min(10, "say in at least 10 characters why this cannot wait for an approval").max(2000),
    incident: ticketSchema,
  })
  .strict();
export type BreakGlassRequest = z.infer<typeof breakGlassSchema>;

/** The safety fields of a run request, beside its parameters. */
export const safetyFieldsSchema = z.object({
  /** Higher than the runbook's own risk, never lower. */
  risk: z.enum(riskLevels, { message: `must be one of: ${riskLevels.join(", ")}` }).optional(),
  reason: z.string().trim().max(1000, "must be at most 1000 characters").optional(),
  ticket: ticketSchema.optional(),
  /** For high risk: the runbook slug, or the value of the runbook's `confirm` parameter, typed by the runner. */
  confirm: z.string().max(300).optional(),
  dryRun: z.boolean().default(false),
  /** A finished dry run of the same version and parameters, shown to the approvers. */
  dryRunId: z.number().int().positive().optional(),
  breakGlass: breakGlassSchema.optional(),
});
export type SafetyFields = z.input<typeof safetyFieldsSchema>;

export interface Confirmation {
  /** What must be typed. */
  expected: string;
  /** What it is, for the prompt: `the runbook slug` or `the value of host`. */
  label: string;
}

export interface SafetyRequirements {
  risk: Risk;
  raisedFrom: Risk | null;
  approvalsRequired: number;
  reasonRequired: boolean;
  confirmation: Confirmation | null;
}

export interface SafetyError {
  field: string;
  message: string;
}

/**
 * What a request must carry and how many approvals it needs. Approval comes from the runbook
 * (`approval`, or one for high risk), from a risk raised to high, or from a policy rule that allows
 * the run only with approval. A dry run needs none of it.
 */
export function safetyRequirements(input: {
  definition: Pick<RunbookDefinition, "slug" | "risk" | "approval" | "confirm">;
  values: ParamValues;
  requestedRisk?: Risk;
  policyRequiresApproval: boolean;
  dryRun: boolean;
}): SafetyRequirements {
  const { definition } = input;
  if (input.dryRun) return { risk: definition.risk, raisedFrom: null, approvalsRequired: 0, reasonRequired: false, confirmation: null };
  const risk = input.requestedRisk ? maxRisk(definition.risk, input.requestedRisk) : definition.risk;
  const raisedFrom = risk !== definition.risk ? definition.risk : null;
  const fromRunbook = approvalsRequiredBy(definition);
  const fromRaise = raisedFrom && risk === "high" ? 1 : 0;
  const fromPolicy = input.policyRequiresApproval ? 1 : 0;
  const approvalsRequired = Math.max(fromRunbook, fromRaise, fromPolicy);
  const confirmParameter = definition.confirm;
  const confirmation =
    risk === "high"
      ? confirmParameter
        ? { expected: String(input.values[confirmParameter] ?? ""), label: `the value of ${confirmParameter}` }
        : { expected: definition.slug, label: "the runbook slug" }
      : null;
  return { risk, raisedFrom, approvalsRequired, reasonRequired: riskRank(risk) >= riskRank("medium"), confirmation };
}

/**
 * Approvals a schedule of runs with these requirements collects before it fires: nobody approves or
 * confirms each fire, so runs that need either need the schedule approved, by at least one person.
 */
export function scheduleApprovalsFor(requirements: SafetyRequirements): number {
  return requirements.approvalsRequired > 0 || requirements.confirmation ? Math.max(1, requirements.approvalsRequired) : 0;
}

type SafetyFieldValues = { risk?: Risk; reason?: string; ticket?: string; confirm?: string; breakGlass?: BreakGlassRequest };

/** Everything missing or wrong in a request's safety fields, in the form's order: the form shows them all at once. */
export function safetyProblems(requirements: SafetyRequirements, runbookRisk: Risk, fields: SafetyFieldValues): SafetyError[] {
  const problems: SafetyError[] = [];
  if (fields.risk && riskRank(fields.risk) < riskRank(runbookRisk)) {
    problems.push({ field: "risk", message: `cannot be lowered below the runbook's own risk (${runbookRisk}); a run may only be marked riskier` });
  }
  const hasReason = Boolean(fields.reason?.trim()) || Boolean(fields.ticket) || Boolean(fields.breakGlass);
  if (requirements.reasonRequired && !hasReason) {
    problems.push({ field: "reason", message: `a ${requirements.risk}-risk run needs a reason or a ticket reference (incident or change id)` });
  }
  if (requirements.confirmation && fields.confirm?.trim() !== requirements.confirmation.expected) {
    const { expected, label } = requirements.confirmation;
    problems.push({
      field: "confirm",
      message: fields.confirm ? `does not match: type ${label} "${expected}" exactly to confirm this high-risk run` : `type ${label} "${expected}" to confirm this high-risk run`,
    });
  }
  return problems;
}

/** The first thing missing or wrong in a request's safety fields, or null: what the server refuses with. */
export function checkSafetyFields(requirements: SafetyRequirements, runbookRisk: Risk, fields: SafetyFieldValues): SafetyError | null {
  return safetyProblems(requirements, runbookRisk, fields)[0] ?? null;
}

/** "role operator or admin", "team sre, or a@b.c", or null when anyone the policies let approve may. */
export function describeApprovers(approvers: { roles: readonly string[]; teams: readonly string[]; users: readonly string[] } | null | undefined): string | null {
  if (!approvers) return null;
  const parts = [
    approvers.roles.length ? `role ${approvers.roles.join(" or ")}` : null,
    approvers.teams.length ? `team ${approvers.teams.join(" or ")}` : null,
    approvers.users.length ? approvers.users.join(" or ") : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(", or ") : null;
}
