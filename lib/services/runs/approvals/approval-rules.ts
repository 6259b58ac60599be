import type { Db } from "../../../db/client";
import type { ApproverSet, StepStatus } from "../../../db/schema";
import { statusLabel } from "../../../run-statuses";
import { AppError } from "../../../errors";
import { matchesAttachment, type AppAbility } from "../../../policy/ability";
import { decide } from "../../../policy/explain";
import { describeApprovers } from "../../../runbooks/safety";
import type { Actor } from "../../actor";
import { recordDenial } from "../../authorize";
import { runSubjectOf, type RunRow } from "../run-dto";

export interface Refusal {
  code: "conflict" | "forbidden";
  message: string;
}

/** A runbook's approvers name roles, teams and people the way a policy's `attach` does, and match the same way. */
function inApproverSet(actor: Actor, approvers: ApproverSet | null): boolean {
  return !approvers || matchesAttachment(approvers, actor.user);
}

/**
 * Why this person may not decide on this request, or null. The requester is refused by user id,
 * which no second token, session or later change of role alters (four-eyes).
 */
function deciderRefusal(actor: Actor, ability: AppAbility, row: RunRow, approvers: ApproverSet | null, alreadyDecided: boolean, what: string): Refusal | null {
  const { run } = row;
  if (run.requestedBy === actor.user.id) {
    return { code: "forbidden", message: `you requested run ${run.id}; someone else must approve or reject ${what} (four-eyes rule)` };
  }
  const decision = decide(ability, actor.user.role, "approve", "Run", runSubjectOf(row, { ownRisk: true }), String(run.id));
  if (!decision.allowed) return { code: "forbidden", message: decision.message };
  if (!inApproverSet(actor, approvers)) {
    return { code: "forbidden", message: `approvals for ${what} of runbook "${run.runbookSlug}" are limited to ${describeApprovers(approvers) ?? "nobody"}` };
  }
  if (alreadyDecided) return { code: "conflict", message: `you already approved ${what}; it needs another person's approval` };
  return null;
}

/** Why this person may not decide on this run's request now, or null. */
export function approvalRefusal(actor: Actor, ability: AppAbility, row: RunRow, alreadyDecided: boolean): Refusal | null {
  const { run } = row;
  if (run.status !== "pending_approval") return { code: "conflict", message: `run ${run.id} is not waiting for approval (it is ${run.status})` };
  return deciderRefusal(actor, ability, row, run.approvers, alreadyDecided, `run ${run.id}`);
}

/** How a step with `approval:` stands, from its run_steps row. */
export interface StepApprovalState {
  id: string;
  status: StepStatus;
  approvalsRequired: number;
  approvers: ApproverSet | null;
  approvedAt: Date | null;
}

/** Why this person may not decide on the approval a run's step waits for, or null: the same rules as a run's own. */
export function stepApprovalRefusal(actor: Actor, ability: AppAbility, row: RunRow, step: StepApprovalState, alreadyDecided: boolean): Refusal | null {
  const what = `step ${step.id} of run ${row.run.id}`;
  if (step.approvalsRequired === 0) return { code: "conflict", message: `${what} needs no approval` };
  if (row.run.status !== "waiting" || step.status !== "waiting" || step.approvedAt) {
    return { code: "conflict", message: `${what} is not waiting for approval (it is ${statusLabel(step.status)}; the run is ${statusLabel(row.run.status)})` };
  }
  return deciderRefusal(actor, ability, row, step.approvers, alreadyDecided, what);
}

/** Who acknowledges a break-glass run: someone allowed to approve it, never the person who broke the glass. */
export function breakGlassReviewRefusal(actor: Actor, ability: AppAbility, row: RunRow): Refusal | null {
  const { run } = row;
  if (!run.breakGlassIncident) return { code: "conflict", message: `run ${run.id} did not use break-glass` };
  if (run.breakGlassReviewedAt) return { code: "conflict", message: `run ${run.id}'s break-glass use was already acknowledged` };
  if (run.requestedBy === actor.user.id) {
    return { code: "forbidden", message: `you broke the glass on run ${run.id}; someone else must review it` };
  }
  const decision = decide(ability, actor.user.role, "approve", "Run", runSubjectOf(row, { ownRisk: true }), String(run.id));
  return decision.allowed ? null : { code: "forbidden", message: decision.message };
}

/** Throws the refusal; a person refused (not a state conflict) is recorded in the audit log as denied. */
export async function throwRefusal(db: Db, actor: Actor, row: RunRow, action: string, refusal: Refusal, details: Record<string, unknown> = {}): Promise<never> {
  if (refusal.code === "forbidden") {
    await recordDenial(db, actor, {
      action,
      subjectType: "run",
      subjectId: String(row.run.id),
      versionHash: row.run.versionHash,
      reason: refusal.message,
      details: { runbook: row.run.runbookSlug, ...details },
    });
  }
  throw new AppError(refusal.code, refusal.message);
}
