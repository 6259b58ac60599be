import { parseDuration } from "../config/duration";
import { approvalsRequiredBy, riskRank, type ApprovalDefinition, type RunbookDefinition } from "./definition";
import { stepApprovalsRequired, type StepFile } from "./steps";

/** The parts of a definition that are safety nets: what this rule compares. */
export type SafetyNets = Pick<RunbookDefinition, "risk" | "approval" | "confirm" | "dryRun" | "owner" | "environment" | "tags" | "schedules"> & {
  steps?: ReadonlyArray<Pick<StepFile, "id" | "when" | "approval">>;
};

export interface LooseningOptions {
  /** How long a request waits for approval when the runbook does not say (HANDRAIL_APPROVAL_EXPIRES_AFTER). */
  defaultApprovalExpiresAfterMs: number;
}

/** An approval as this rule compares it: how many must approve, and the `approval:` that says who and for how long. */
interface ApprovalNet {
  required: number;
  approval?: ApprovalDefinition;
}

function approverEntries(definition: ApprovalNet): string[] {
  const approvers = definition.approval?.approvers;
  if (!approvers) return [];
  return [...approvers.roles.map((role) => `role ${role}`), ...approvers.teams.map((team) => `team ${team}`), ...approvers.users.map((user) => `user ${user}`)];
}

function expiresAfterMs(definition: ApprovalNet, options: LooseningOptions): number {
  const declared = definition.approval?.expiresAfter;
  return (declared ? parseDuration(declared) : undefined) ?? options.defaultApprovalExpiresAfterMs;
}

function expiresAfterLabel(definition: ApprovalNet): string {
  return definition.approval?.expiresAfter ?? "the default";
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What a change from `before` to `after` loosens, in words for the person reviewing it; empty when
 * it loosens nothing. A change is loosening when it lowers the risk, needs fewer approvals, lets
 * more people approve, leaves a request longer to be approved, drops or changes the confirmation
 * or the dry-run mode, changes the owner or the environment, removes a tag, or does any of this to
 * a step that needs approval (or puts it under a condition): each of these can
 * take a run out from under a policy or a review that applied to it. Raising the risk, adding
 * approvals or narrowing the approvers is tightening and is not listed.
 */
export function loosenings(before: SafetyNets, after: SafetyNets, options: LooseningOptions): string[] {
  const found: string[] = [];
  if (riskRank(after.risk) < riskRank(before.risk)) found.push(`risk ${before.risk} → ${after.risk}`);

  found.push(...approvalLoosenings({ required: approvalsRequiredBy(before), approval: before.approval }, { required: approvalsRequiredBy(after), approval: after.approval }, options));

  if (before.confirm !== undefined && after.confirm === undefined) found.push(`confirm ${before.confirm} removed`);
  else if (before.confirm !== undefined && after.confirm !== before.confirm) found.push(`confirm ${before.confirm} → ${after.confirm}`);

  if (before.dryRun && !after.dryRun) found.push("dry-run mode removed");
  else if (before.dryRun && !sameJson(before.dryRun, after.dryRun)) found.push("dry-run mode changed");

  if (after.owner !== before.owner) found.push(`owner ${before.owner} → ${after.owner}`);
  if (after.environment !== before.environment) found.push(`environment ${before.environment ?? "(none)"} → ${after.environment ?? "(none)"}`);

  const removedTags = before.tags.filter((tag) => !after.tags.includes(tag));
  if (removedTags.length > 0) found.push(`tag${removedTags.length > 1 ? "s" : ""} ${removedTags.join(", ")} removed`);
  found.push(...stepLoosenings(before.steps ?? [], after.steps ?? [], options));
  found.push(...scheduleLoosenings(before.schedules ?? [], after.schedules ?? []));
  return found;
}

/** Fewer approvals, more people allowed to approve, or longer to do it. */
function approvalLoosenings(before: ApprovalNet, after: ApprovalNet, options: LooseningOptions): string[] {
  const found: string[] = [];
  if (after.required < before.required) found.push(`approvals required ${before.required} → ${after.required}`);
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
  return found;
}

/**
 * A step that needs approval loosens when it goes (a step is known by its id: renaming it removes
 * it), when its approval is weakened as a runbook's would be, or when it is put under a `when:` (or
 * its condition changes), since a false condition skips the step and the approval with it.
 */
function stepLoosenings(before: NonNullable<SafetyNets["steps"]>, after: NonNullable<SafetyNets["steps"]>, options: LooseningOptions): string[] {
  const found: string[] = [];
  for (const gated of before.filter((step) => stepApprovalsRequired(step) > 0)) {
    const now = after.find((step) => step.id === gated.id);
    if (!now) {
      found.push(`step ${gated.id}, which needs approval, removed`);
      continue;
    }
    const approvalNow = { required: stepApprovalsRequired(now), approval: now.approval };
    const weakened = approvalLoosenings({ required: stepApprovalsRequired(gated), approval: gated.approval }, approvalNow, options);
    found.push(...(approvalNow.required === 0 ? [`step ${gated.id}: approval removed`] : weakened.map((change) => `step ${gated.id}: ${change}`)));
    if (approvalNow.required > 0 && now.when !== undefined && now.when !== gated.when) {
      found.push(gated.when === undefined ? `step ${gated.id}, which needs approval, now runs only when ${now.when}` : `step ${gated.id}, which needs approval: when ${gated.when} → ${now.when}`);
    }
  }
  return found;
}

/** A schedule makes runs happen as its owner with nobody asking each time: adding one, or changing one, is for a second editor to accept. */
function scheduleLoosenings(before: NonNullable<SafetyNets["schedules"]>, after: NonNullable<SafetyNets["schedules"]>): string[] {
  return after.flatMap((schedule) => {
    const earlier = before.find((candidate) => candidate.name === schedule.name);
    if (!earlier) return [`schedule ${schedule.name} added (runs as ${schedule.owner}, ${schedule.cron ?? `once at ${schedule.runAt}`})`];
    return sameJson(earlier, schedule) ? [] : [`schedule ${schedule.name} changed`];
  });
}
