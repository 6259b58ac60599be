import { and, eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import { config } from "../../config/env";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runbooks, schedules, users, type ApproverSet } from "../../db/schema";
import { queueSchedulePaused } from "../../notifications/schedule-events";
import { FireTakenError, recordFire, type ScheduledFire } from "../../schedules/fire-records";
import { riskRank, type Risk } from "../../runbooks/definition";

export type ScheduleRow = typeof schedules.$inferSelect;

export type FireResult =
  | { kind: "run"; runId: number }
  | { kind: "skipped" | "refused"; message: string }
  | { kind: "missed"; count: number }
  /** Not due, or another process (or an edit) got there first. */
  | { kind: "none" };

export const SCHEDULER: AuditActor = { type: "system", id: "scheduler" };

/** Why an approved schedule's approval no longer covers its runbook: a new version, or a higher risk. */
export function approvalNoLongerHolds(row: ScheduleRow, runbook: { version: string; risk: Risk } | undefined): string | undefined {
  if (!runbook) return undefined;
  if (runbook.version !== row.approvedVersionHash) return `runbook ${row.runbookSlug} has a new version (${runbook.version.slice(0, 12)}) since the schedule was approved for ${row.approvedVersionHash?.slice(0, 12)}`;
  if (riskRank(runbook.risk) > riskRank(row.approvedRisk ?? "low")) return `runbook ${row.runbookSlug}'s risk went from ${row.approvedRisk} to ${runbook.risk} since the schedule was approved`;
  return undefined;
}

/**
 * The schedule's approval no longer covers its runs (or runs that need approval now, when it had
 * none): it waits for a new one, firing nothing meanwhile, and its owners are told.
 */
export async function unapprove(row: ScheduleRow, reason: string, needs?: { approvalsRequired: number; approvers: ApproverSet | null }): Promise<FireResult> {
  const { db } = await database();
  await db.transaction(async (tx) => {
    const [saved] = await tx
      .update(schedules)
      .set({ approvedAt: null, approvedVersionHash: null, approvedRisk: null, revision: row.revision + 1, ...(needs ?? {}) })
      .where(and(eq(schedules.id, row.id), eq(schedules.revision, row.revision)))
      .returning({ id: schedules.id });
    if (!saved) throw new FireTakenError({ scheduleId: row.id, revision: row.revision, dueAt: row.nextFireAt ?? new Date(0), fireAt: row.nextFireAt ?? new Date(0), nextFireAt: null });
    await recordAudit(tx, { actor: SCHEDULER, action: "schedule.approval_lapsed", outcome: "failure", subjectType: "schedule", subjectId: String(row.id), details: { runbook: row.runbookSlug, reason } });
    await notifyPaused(tx, row, row.nextFireAt ?? new Date(), `waits for approval again: ${reason}`);
  });
  return { kind: "refused", message: reason };
}

/** Queues `schedule.paused` for a schedule that stopped firing, in the transaction that stopped it. */
async function notifyPaused(tx: Db, row: ScheduleRow, fireAt: Date, reason: string): Promise<void> {
  const [context] = await tx
    .select({ runbookOwner: runbooks.owner, ownerEmail: users.email, ownerName: users.name })
    .from(schedules)
    .innerJoin(runbooks, eq(runbooks.slug, schedules.runbookSlug))
    .innerJoin(users, eq(users.id, schedules.ownerId))
    .where(eq(schedules.id, row.id));
  await queueSchedulePaused(tx, {
    url: `${config().publicUrl}/schedules`,
    schedule: {
      id: row.id,
      name: row.name,
      runbook: { slug: row.runbookSlug, owner: context?.runbookOwner ?? "" },
      owner: { email: context?.ownerEmail ?? "", name: context?.ownerName ?? "" },
      fireAt: fireAt.toISOString(),
      reason,
    },
  });
}

/** A fire its owner may not make: recorded, the schedule paused, its owner and the runbook's owner told. */
export async function refuse(row: ScheduleRow, scheduled: ScheduledFire, message: string): Promise<FireResult> {
  const { db } = await database();
  await db.transaction(async (tx) => {
    await recordFire(tx, scheduled, "refused", { message, pause: true });
    const details = { runbook: row.runbookSlug, fireAt: scheduled.fireAt.toISOString(), reason: message };
    await recordAudit(tx, { actor: SCHEDULER, action: "schedule.fire_refused", outcome: "failure", subjectType: "schedule", subjectId: String(row.id), details });
    await recordAudit(tx, { actor: SCHEDULER, action: "schedule.paused", outcome: "success", subjectType: "schedule", subjectId: String(row.id), details: { runbook: row.runbookSlug, reason: message } });
    await notifyPaused(tx, row, scheduled.fireAt, message);
  });
  return { kind: "refused", message };
}

