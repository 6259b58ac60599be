import { and, count, eq, sql } from "drizzle-orm";
import { recordAudit } from "../../../audit/record";
import { database } from "../../../db";
import type { Db } from "../../../db/client";
import { runApprovals, runSteps, type ApprovalDecision } from "../../../db/schema";
import { config } from "../../../config/env";
import { AppError, invalidInput, notFound } from "../../../errors";
import { approvalExpiredMessage, closePendingRun } from "../../../runs/close-pending-run";
import { continueRun } from "../../../runs/continue-run";
import { publishNotices, runChanged, runQueued, type RunNotice } from "../../../runs/notices";
import { markStepApproved, stepEvent } from "../../../runs/run-steps";
import { auditActorOf, type Actor } from "../../actor";
import { parseInput } from "../../fields";
import { stepApprovalRefusal, throwRefusal, type Refusal } from "../approvals/approval-rules";
import { approvalDecisionInput } from "../approvals/decision-fields";
import { getRun } from "../get-run";
import { loadRun, type RunDto } from "../run-dto";
import { loadVisibleRun } from "../visible-run";

const stepDecisionAction = (decision: ApprovalDecision) => (decision === "approved" ? "step.approved" : "step.rejected");

type Outcome = { kind: "decided"; notices: RunNotice[] } | { kind: "refused"; refusal: Refusal } | { kind: "closed"; message: string; notices: RunNotice[] };

async function stepRow(db: Db, runId: number, stepId: string) {
  const [row] = await db
    .select()
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.stepId, stepId)));
  return row;
}

async function decisionsOn(tx: Db, runId: number, position: number, where: ReturnType<typeof eq>): Promise<number> {
  const [counted] = await tx
    .select({ n: count() })
    .from(runApprovals)
    .where(and(eq(runApprovals.runId, runId), eq(runApprovals.stepPosition, position), where));
  return counted?.n ?? 0;
}

/**
 * Approves or rejects the step a run of steps waits on for approval (its `approval:`). Enough
 * distinct approvals start it; one rejection ends the run there. The same four-eyes rule as a run's
 * own approval: the requester never decides, whatever their role or token.
 */
export async function decideStepApproval(actor: Actor, runId: number, stepId: string, decision: ApprovalDecision, input: unknown): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const action = stepDecisionAction(decision);
  const { row, ability } = await loadVisibleRun(db, actor, runId);
  const step = await stepRow(db, runId, stepId);
  if (!step) throw notFound(`run ${runId} has no step "${stepId.slice(0, 100)}"`);
  const state = { id: step.stepId, status: step.status, approvalsRequired: step.approvalsRequired, approvers: step.approvers, approvedAt: step.approvedAt };
  // Who may not decide is told so before their comment is looked at.
  const early = stepApprovalRefusal(actor, ability, row, state, false);
  const place = { id: step.stepId, position: step.position };
  if (early) await throwRefusal(db, actor, row, action, early, { step: place.id, position: place.position });
  const { comment } = parseInput(approvalDecisionInput, input ?? {});
  if (decision === "rejected" && comment.length < 3) throw invalidInput("comment", "say why you reject it (at least 3 characters)");

  const { publicUrl } = config();
  const subject = { id: runId, versionHash: row.run.versionHash, runbookSlug: row.run.runbookSlug };
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    // The run's row lock orders concurrent decisions: the second sees what the first did.
    await tx.execute(sql`select id from runs where id = ${runId} for update`);
    const locked = await loadRun(tx, runId);
    const now = await stepRow(tx, runId, stepId);
    if (!now) throw notFound(`run ${runId} has no step "${stepId}"`);
    const mine = await decisionsOn(tx, runId, step.position, eq(runApprovals.userId, actor.user.id));
    const lockedState = { id: now.stepId, status: now.status, approvalsRequired: now.approvalsRequired, approvers: now.approvers, approvedAt: now.approvedAt };
    const refusal = stepApprovalRefusal(actor, ability, locked, lockedState, mine > 0);
    if (refusal) return { kind: "refused", refusal };
    if (now.approvalExpiresAt && now.approvalExpiresAt.getTime() <= Date.now()) {
      const message = `step ${stepId}: ${approvalExpiredMessage(now.approvalExpiresAt)}`;
      const notices = await closePendingRun(tx, {
        runId,
        status: "expired",
        message,
        actor: { type: "system", id: "approval-check" },
        details: { cause: "timeout", attemptedBy: actor.user.email },
        publicUrl,
        step: place,
      });
      return { kind: "closed", message, notices: notices ?? [runChanged(runId)] };
    }
    await tx.insert(runApprovals).values({ runId, userId: actor.user.id, decision, comment, stepPosition: step.position });
    if (decision === "rejected") {
      const notices = await closePendingRun(tx, {
        runId,
        status: "rejected",
        message: `step ${stepId} rejected by ${actor.user.email}: ${comment}`,
        actor: auditActorOf(actor),
        details: { comment, via: actor.via },
        publicUrl,
        decision: { decidedBy: { email: actor.user.email, name: actor.user.name }, comment },
        step: place,
      });
      await recordAudit(tx, stepEvent(auditActorOf(actor), "step.rejected", subject, place, { comment, via: actor.via }, "success"));
      return { kind: "decided", notices: notices ?? [runChanged(runId)] };
    }
    const approvals = await decisionsOn(tx, runId, step.position, eq(runApprovals.decision, "approved"));
    const enough = approvals >= now.approvalsRequired;
    if (enough) {
      await markStepApproved(tx, runId, step.position);
      await continueRun(tx, runId);
    }
    await recordAudit(tx, stepEvent(auditActorOf(actor), "step.approved", subject, place, { comment, approvals, required: now.approvalsRequired, started: enough, via: actor.via }, "success"));
    return { kind: "decided", notices: enough ? [runChanged(runId), runQueued(runId)] : [runChanged(runId)] };
  });
  if (outcome.kind === "refused") await throwRefusal(db, actor, row, action, outcome.refusal, { step: place.id, position: place.position });
  if (outcome.kind !== "refused") await publishNotices(handle, outcome.notices);
  if (outcome.kind === "closed") throw new AppError("conflict", outcome.message);
  return getRun(actor, runId);
}
