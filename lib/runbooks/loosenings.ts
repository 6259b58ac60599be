import { parseDuration } from "../config/duration";
import { approvalsRequiredBy, riskRank, type RunbookDefinition } from "./definition";

/** The parts of a definition that are safety nets: what this rule compares. */
export type SafetyNets = Pick<RunbookDefinition, "risk" | "approval" | "confirm" | "dryRun" | "owner" | "environment" | "tags">;

export interface LooseningOptions {
  /** How long a request waits for approval when the runbook does not say (HANDRAIL_APPROVAL_EXPIRES_AFTER). */
  defaultApprovalExpiresAfterMs: number;
}

function approverEntries(definition: SafetyNets): string[] {
  const approvers = definition.approval?.approvers;
  if (!approvers) return [];
  return [...approvers.roles.map((role) => `role ${role}`), ...approvers.teams.map((team) => `team ${team}`), ...approvers.users.map((user) => `user ${user}`)];
}

function expiresAfterMs(definition: SafetyNets, options: LooseningOptions): number {
  const declared = definition.approval?.expiresAfter;
  return (declared ? parseDuration(declared) : undefined) ?? options.defaultApprovalExpiresAfterMs;
}

function expiresAfterLabel(definition: SafetyNets): string {
  return definition.approval?.expiresAfter ?? "the default";
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What a change from `before` to `after` loosens, in words for the person reviewing it; empty when
 * it loosens nothing. A change is loosening when it lowers the risk, needs fewer approvals, lets
 * more people approve, leaves a request longer to be approved, drops or changes the confirmation
 * or the dry-run mode, changes the owner or the environment, or removes a tag: each of these can
 * take a run out from under a policy or a review that applied to it. Raising the risk, adding
 * approvals or narrowing the approvers is tightening and is not listed.
 */
export function loosenings(before: SafetyNets, after: SafetyNets, options: LooseningOptions): string[] {
  const found: string[] = [];
  if (riskRank(after.risk) < riskRank(before.risk)) found.push(`risk ${before.risk} → ${after.risk}`);

  const approvalsBefore = approvalsRequiredBy(before);
  const approvalsAfter = approvalsRequiredBy(after);
  if (approvalsAfter < approvalsBefore) found.push(`approvals required ${approvalsBefore} → ${approvalsAfter}`);

  const approversBefore = approverEntries(before);
  const approversAfter = approverEntries(after);
  if (approversBefore.length > 0 && approversAfter.length === 0) found.push(`approvers: anyone the policies allow instead of ${approversBefore.join(", ")}`);
  else if (approversBefore.length > 0) {
    const added = approversAfter.filter((entry) => !approversBefore.includes(entry));
    if (added.length > 0) found.push(`approvers widened: ${added.join(", ")} added`);
  }

  if (expiresAfterMs(after, options) > expiresAfterMs(before, options)) {
    found.push(`approval expires after ${expiresAfterLabel(before)} → ${expiresAfterLabel(after)}`);
  }

  if (before.confirm !== undefined && after.confirm === undefined) found.push(`confirm ${before.confirm} removed`);
  else if (before.confirm !== undefined && after.confirm !== before.confirm) found.push(`confirm ${before.confirm} → ${after.confirm}`);

  if (before.dryRun && !after.dryRun) found.push("dry-run mode removed");
  else if (before.dryRun && !sameJson(before.dryRun, after.dryRun)) found.push("dry-run mode changed");

  if (after.owner !== before.owner) found.push(`owner ${before.owner} → ${after.owner}`);
  if (after.environment !== before.environment) found.push(`environment ${before.environment ?? "(none)"} → ${after.environment ?? "(none)"}`);

  const removedTags = before.tags.filter((tag) => !after.tags.includes(tag));
  if (removedTags.length > 0) found.push(`tag${removedTags.length > 1 ? "s" : ""} ${removedTags.join(", ")} removed`);
  return found;
}
