import type { Risk } from "@/lib/runbooks/definition";
import { riskRank } from "@/lib/runbooks/definition";
import { abilityFromRules, asRunbook, policyRequiresApproval, type AppRule, type RunbookSubject } from "@/lib/policy/ability";
import type { ParameterDefinition } from "@/lib/runbooks/definition";
import { validateParams } from "@/lib/runbooks/params";
import { breakGlassSchema, safetyProblems, ticketSchema, type SafetyError, type SafetyRequirements } from "@/lib/runbooks/safety";
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

/** Every problem with the safety fields for this button, each named by the field the server would name. */
export function checkRunFormSafety(intent: RunIntent, requirements: SafetyRequirements, runbookRisk: Risk, fields: TypedSafetyFields): SafetyError[] {
  // A dry run changes nothing: it needs no reason, confirmation or approval.
  if (intent === "dry-run") return [];
  const problems: SafetyError[] = [];
  const ticket = fields.ticket.trim();
  const ticketOk = !ticket || ticketSchema.safeParse(ticket).success;
  if (!ticketOk) problems.push({ field: "ticket", message: ticketSchema.safeParse(ticket).error?.issues[0]?.message ?? "is not a ticket id" });
  let breakGlass: { justification: string; incident: string } | undefined;
  if (intent === "break-glass") {
    const parsed = breakGlassSchema.safeParse({ justification: fields.justification, incident: fields.incident });
    if (parsed.success) breakGlass = parsed.data;
    else for (const issue of parsed.error.issues) problems.push({ field: `breakGlass.${issue.path.map(String).join(".") || "justification"}`, message: issue.message });
  }
  const effective = intent === "break-glass" ? { ...requirements, approvalsRequired: 0 } : requirements;
  return [
    ...problems,
    ...safetyProblems(effective, runbookRisk, {
      ...(fields.risk ? { risk: fields.risk } : {}),
      reason: fields.reason,
      ...(ticket && ticketOk ? { ticket } : {}),
      confirm: fields.confirm,
      // A break-glass request with a justification counts as giving a reason even while its incident is still wrong.
      ...(breakGlass ? { breakGlass } : intent === "break-glass" && fields.justification.trim() ? { breakGlass: { justification: fields.justification, incident: fields.incident } } : {}),
    }),
  ];
}

/** What a parameter accepts, said before anyone gets it wrong: "1 to 20", "one of: a, b", "matches ^[a-z]+$". */
export function parameterHint(parameter: ParameterDefinition): string | null {
  const hints: string[] = [];
  if (parameter.type === "integer" || parameter.type === "number") {
    const kind = parameter.type === "integer" ? "a whole number" : "a number";
    if (parameter.min !== undefined && parameter.max !== undefined) hints.push(`${kind} from ${parameter.min} to ${parameter.max}`);
    else if (parameter.min !== undefined) hints.push(`${kind}, at least ${parameter.min}`);
    else if (parameter.max !== undefined) hints.push(`${kind}, at most ${parameter.max}`);
  }
  if (parameter.allowed && parameter.type !== "enum") hints.push(`one of: ${parameter.allowed.join(", ")}`);
  if (parameter.pattern) hints.push(`must match ${parameter.pattern}`);
  return hints.length > 0 ? hints.join("; ") : null;
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
