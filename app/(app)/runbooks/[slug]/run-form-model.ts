import type { Risk } from "@/lib/runbooks/definition";
import { riskRank } from "@/lib/runbooks/definition";
import { abilityFromRules, asRunbook, policyRequiresApproval, type AppRule, type RunbookSubject } from "@/lib/policy/ability";
import type { ParameterDefinition } from "@/lib/runbooks/definition";
import { validateParams } from "@/lib/runbooks/params";
import { breakGlassSchema, checkSafetyFields, ticketSchema, type SafetyError, type SafetyRequirements } from "@/lib/runbooks/safety";
import type { RunIntent } from "./run-request";

/** Pure: what the run form checks and says before it is sent; the server checks the same again. */

export interface TypedSafetyFields {
  risk?: Risk;
  reason: string;
  ticket: string;
  confirm: string;
  justification: string;
  incident: string;
}

/** The first problem with the safety fields for this button, named by the field the server would name. */
export function checkRunFormSafety(intent: RunIntent, requirements: SafetyRequirements, runbookRisk: Risk, fields: TypedSafetyFields): SafetyError | null {
  // A dry run changes nothing: it needs no reason, confirmation or approval.
  if (intent === "dry-run") return null;
  const ticket = fields.ticket.trim();
  if (ticket) {
    const parsed = ticketSchema.safeParse(ticket);
    if (!parsed.success) return { field: "ticket", message: parsed.error.issues[0]?.message ?? "is not a ticket id" };
  }
  let breakGlass: { justification: string; incident: string } | undefined;
  if (intent === "break-glass") {
    const parsed = breakGlassSchema.safeParse({ justification: fields.justification, incident: fields.incident });
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      return { field: `breakGlass.${issue?.path.map(String).join(".") ?? "justification"}`, message: issue?.message ?? "is invalid" };
    }
    breakGlass = parsed.data;
  }
  const effective = intent === "break-glass" ? { ...requirements, approvalsRequired: 0 } : requirements;
  return checkSafetyFields(effective, runbookRisk, {
    ...(fields.risk ? { risk: fields.risk } : {}),
    reason: fields.reason,
    ...(ticket ? { ticket } : {}),
    confirm: fields.confirm,
    ...(breakGlass ? { breakGlass } : {}),
  });
}

/** The sentence under the request button: how many approvals, from whom, and never from the requester. */
export function approvalNote(count: number, approvers: string | null, raisedFrom: Risk | null, byPolicy: boolean): string {
  const who = approvers ? `someone with ${approvers}` : "someone allowed to approve runs";
  const why = raisedFrom ? ` (you raised the risk from ${raisedFrom})` : byPolicy ? " (your access allows this runbook only with approval)" : "";
  return `Needs ${count === 1 ? "1 approval" : `${count} approvals`} from ${who}, other than you${why}. It waits with its parameters frozen until then.`;
}

/** Dry run is the first, primary action for a risky runbook that has one. */
export function dryRunFirst(hasDryRun: boolean, risk: Risk): boolean {
  return hasDryRun && riskRank(risk) >= riskRank("medium");
}

/**
 * Whether this user's policies hold a run with these values for approval: the server's own rule,
 * applied to the user's `run` rules as the form's values change (a rule may ask for approval only
 * for some values, say `environment: production`). Until the values are valid, the runbook is
 * judged without them, as the server does when it lists the runbook.
 */
export function policyApprovalFor(runRules: readonly AppRule[], runbook: RunbookSubject, parameters: ParameterDefinition[], values: Record<string, string>): boolean {
  const typed = validateParams(parameters, values);
  return policyRequiresApproval(abilityFromRules([...runRules]), asRunbook(runbook, typed.ok ? typed.values : undefined));
}
