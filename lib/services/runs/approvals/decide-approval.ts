import { and, count, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../../../audit/record";
import { database } from "../../../db";
import type { Db } from "../../../db/client";
import { runApprovals, runbooks, type ApprovalDecision } from "../../../db/schema";
import { config } from "../../../config/env";
import { AppError, invalidInput } from "../../../errors";
import { publishNotices, runChanged, runQueued } from "../../../runs/notices";
import { queueApprovedRun } from "../../../runs/queue-approved-run";
import { approvalExpiredMessage, approvalInvalidatedMessage, closePendingRun } from "../../../runs/close-pending-run";
import { notifyRunEvent } from "../../../notifications/notify-run-event";
import { auditActorOf, type Actor } from "../../actor";
import { loadVisibleRun } from "../visible-run";
import { getRun } from "../get-run";
import { loadRun, type RunDto, type RunRow } from "../run-dto";
import { approvalRefusal, throwRefusal, type Refusal } from "./approval-rules";
import { approvalDecisionInput } from "./decision-fields";
import { parseInput } from "../../fields";

const decisionAction = (decision: ApprovalDecision) => (decision === "approved" ? "run.approved" : "run.rejected");

type Outcome = { kind: "decided"; queued: boolean } | { kind: "refused"; refusal: Refusal } | { kind: "closed"; message: string };

/** Why a waiting request can no longer be approved, read under the run's row lock. */
async function staleness(tx: Db, row: RunRow): Promise<string | null> {
  const { run } = row;
  if (run.approvalExpiresAt && run.approvalExpiresAt.getTime() <= Date.now()) return approvalExpiredMessage(run.approvalExpiresAt);
  const [runbook] = await tx.select({ current: runbooks.currentVersionHash, archivedAt: runbooks.archivedAt }).from(runbooks).where(eq(runbooks.slug, run.runbookSlug));
  if (!runbook || runbook.archivedAt) return approvalInvalidatedMessage(run.runbookSlug, { archived: true });
  if (runbook.current !== run.versionHash) return approvalInvalidatedMessage(run.runbookSlug, { currentVersion: runbook.current });
  return null;
}

/**
 * Approves or rejects a run that waits for approval. Enough distinct approvals queue it; one
 * rejection ends it. The requester never decides on their own run, whatever their role or token.
 */
export async function decideApproval(actor: Actor, runId: number, decision: ApprovalDecision, input: unknown): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const { row, ability } = await loadVisibleRun(db, actor, runId);
  // Who may not decide is told so before their comment is looked at.
  const early = approvalRefusal(actor, ability, row, false);
  if (early) await throwRefusal(db, actor, row, decisionAction(decision), early);
  const { comment } = parseInput(approvalDecisionInput, input ?? {});
  if (decision === "rejected" && comment.length < 3) throw invalidInput("comment", "say why you reject it (at least 3 characters)");

  const { publicUrl } = config();
  const decidedBy = { email: actor.user.email, name: actor.user.name };
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    // The row lock orders concurrent decisions: the second sees what the first did.
    await tx.execute(sql`select id from runs where id = ${runId} for update`);
    const locked = await loadRun(tx, runId);
    const [mine] = await tx
      .select({ n: count() })
      .from(runApprovals)
      .where(and(eq(runApprovals.runId, runId), isNull(runApprovals.stepPosition), eq(runApprovals.userId, actor.user.id)));
    const refusal = approvalRefusal(actor, ability, locked, (mine?.n ?? 0) > 0);
    if (refusal) return { kind: "refused", refusal };
    const stale = await staleness(tx, locked);
    if (stale) {
      await closePendingRun(tx, {
        runId,
        status: "expired",
        message: stale,
        actor: { type: "system", id: "approval-check" },
        details: { cause: stale.startsWith("approval expired") ? "timeout" : "version_changed", attemptedBy: actor.user.email },
        publicUrl,
      });
      return { kind: "closed", message: stale };
    }
    await tx.insert(runApprovals).values({ runId, userId: actor.user.id, decision, comment });
    const [approved] = await tx
      .select({ n: count() })
      .from(runApprovals)
      .where(and(eq(runApprovals.runId, runId), isNull(runApprovals.stepPosition), eq(runApprovals.decision, "approved")));
    const approvals = approved?.n ?? 0;
    const required = locked.run.approvalsRequired;
    if (decision === "rejected") {
      await closePendingRun(tx, {
        runId,
        status: "rejected",
        message: `rejected by ${actor.user.email}: ${comment}`,
        actor: auditActorOf(actor),
        details: { comment, via: actor.via },
        publicUrl,
        decision: { decidedBy, comment },
      });
      return { kind: "decided", queued: false };
    }
    const queued = approvals >= required && (await queueApprovedRun(tx, runId)) !== null;
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: decisionAction("approved"),
      outcome: "success",
      subjectType: "run",
      subjectId: String(runId),
      versionHash: locked.run.versionHash,
      details: { runbook: locked.run.runbookSlug, comment, approvals, required, queued, via: actor.via },
    });
    if (queued) await notifyRunEvent(tx, "run.approved", runId, publicUrl, { decidedBy, comment });
    return { kind: "decided", queued };
  });
  if (outcome.kind === "refused") await throwRefusal(db, actor, row, decisionAction(decision), outcome.refusal);
  await publishNotices(handle, outcome.kind === "decided" && outcome.queued ? [runChanged(runId), runQueued(runId)] : [runChanged(runId)]);
  if (outcome.kind === "closed") throw new AppError("conflict", outcome.message);
  return getRun(actor, runId);
}
