import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { scheduleApprovals, schedules } from "../../db/schema";
import { AppError, forbidden } from "../../errors";
import { asRun, matchesAttachment } from "../../policy/ability";
import { decide } from "../../policy/explain";
import { describeApprovers } from "../../runbooks/safety";
import { auditActorOf, type Actor } from "../actor";
import { recordDenial } from "../authorize";
import { parseInput } from "../fields";
import { approvalDecisionInput } from "../runs/approvals/decision-fields";
import { loadRunbook } from "../runbooks/get-runbook";
import { loadVisibleSchedule, managesSchedule, scheduleViews } from "./schedule-access";
import { toScheduleDto, type ScheduleDto } from "./schedule-dto";

type ScheduleRow = typeof schedules.$inferSelect;
type Runbook = Awaited<ReturnType<typeof loadRunbook>>["runbook"];

/**
 * Why this person may not approve this schedule's revision, or null: the same rules as a run's
 * approval, with the schedule's owner and whoever made the revision in the requester's place.
 */
export function scheduleApprovalRefusal(actor: Actor, ability: Parameters<typeof decide>[0], row: ScheduleRow, runbook: Runbook): { code: "conflict" | "forbidden"; message: string } | null {
  const what = `schedule ${row.id}`;
  if (row.approvalsRequired === 0) return { code: "conflict", message: `${what} needs no approval` };
  if (row.approvedAt) return { code: "conflict", message: `${what} is already approved` };
  if (row.ownerId === actor.user.id || row.updatedBy === actor.user.id) {
    return { code: "forbidden", message: `you own or last changed ${what}; someone else must approve it (four-eyes rule)` };
  }
  const subject = asRun({ id: 0, runbookSlug: row.runbookSlug, requestedBy: row.ownerId, risk: runbook.risk, owner: runbook.owner, tags: runbook.tags, environment: runbook.environment });
  const decision = decide(ability, actor.user.role, "approve", "Run", subject, `of ${row.runbookSlug} for ${what}`);
  if (!decision.allowed) return { code: "forbidden", message: decision.message };
  if (row.approvers && !matchesAttachment(row.approvers, actor.user)) {
    return { code: "forbidden", message: `approvals for runbook "${row.runbookSlug}" are limited to ${describeApprovers(row.approvers) ?? "nobody"}` };
  }
  return null;
}

/**
 * Approves a schedule's current revision. Enough approvals (the runbook's own count) make it fire,
 * pinned to the runbook version and risk approved: a new version or a raised risk makes it wait
 * for approval again (fire-due.ts).
 */
export async function approveSchedule(actor: Actor, id: string, input: unknown): Promise<ScheduleDto> {
  const { db } = await database();
  const { row, ability } = await loadVisibleSchedule(db, actor, id);
  const { runbook } = await loadRunbook(db, row.runbookSlug);
  const refusal = scheduleApprovalRefusal(actor, ability, row, runbook);
  if (refusal) {
    if (refusal.code === "conflict") throw new AppError("conflict", refusal.message);
    await recordDenial(db, actor, { action: "schedule.approved", subjectType: "schedule", subjectId: String(row.id), reason: refusal.message, details: { runbook: row.runbookSlug } });
    throw forbidden(refusal.message);
  }
  const { comment } = parseInput(approvalDecisionInput, input ?? {});
  const saved = await db.transaction(async (tx) => {
    const added = await tx.insert(scheduleApprovals).values({ scheduleId: row.id, revision: row.revision, userId: actor.user.id, comment: comment || null }).onConflictDoNothing().returning();
    if (added.length === 0) throw new AppError("conflict", `you already approved schedule ${row.id}; it needs another person's approval`);
    const [counted] = await tx
      .select({ approvals: sql<number>`count(*)::int` })
      .from(scheduleApprovals)
      .where(and(eq(scheduleApprovals.scheduleId, row.id), eq(scheduleApprovals.revision, row.revision)));
    const approvals = counted?.approvals ?? 0;
    const approved = approvals >= row.approvalsRequired;
    const [updated] = await tx
      .update(schedules)
      .set(approved ? { approvedAt: new Date(), approvedVersionHash: runbook.currentVersionHash, approvedRisk: runbook.risk } : { updatedAt: row.updatedAt })
      .where(and(eq(schedules.id, row.id), eq(schedules.revision, row.revision)))
      .returning();
    if (!updated) throw new AppError("conflict", `schedule ${row.id} changed while this was being approved: look at it again`);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "schedule.approved",
      outcome: "success",
      subjectType: "schedule",
      subjectId: String(row.id),
      versionHash: runbook.currentVersionHash,
      details: { runbook: row.runbookSlug, revision: row.revision, comment, approvals, required: row.approvalsRequired, approved, via: actor.via },
    });
    return updated;
  });
  const [view] = await scheduleViews(db, [saved]);
  return toScheduleDto(view as NonNullable<typeof view>, managesSchedule(actor, saved));
}
