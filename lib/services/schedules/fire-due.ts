import { and, asc, eq, inArray, isNotNull, isNull, lte, min, or, sql } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import { config } from "../../config/env";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runbooks, runs, schedules, users } from "../../db/schema";
import { AppError } from "../../errors";
import { queueSchedulePaused } from "../../notifications/schedule-events";
import { advanceSchedule, FireTakenError, recordFire, type ScheduledFire } from "../../schedules/fire-records";
import { missedFires, nextFireAfter } from "../../schedules/timing";
import { riskRank } from "../../runbooks/definition";
import { personNow } from "../actor-now";
import { requestRunAndRow } from "../runs/request-run";
import { timingOf } from "./schedule-dto";

type ScheduleRow = typeof schedules.$inferSelect;

/** A fire this late was missed (the scheduler was down, or the clock jumped): the misfire policy applies. */
export const MISFIRE_GRACE_MS = 60_000;
/** Runs a schedule's previous fire may still be in: with `overlap: skip` the next fire then starts none. */
const ACTIVE_STATUSES = ["pending_approval", "queued", "running", "waiting"] as const;

export type FireResult =
  | { kind: "run"; runId: number }
  | { kind: "skipped" | "refused"; message: string }
  | { kind: "missed"; count: number }
  /** Not due, or another process (or an edit) got there first. */
  | { kind: "none" };

const SCHEDULER: AuditActor = { type: "system", id: "scheduler" };

/** A schedule whose revision waits for approval fires nothing until it has it. */
const approvedIfNeeded = or(eq(schedules.approvalsRequired, 0), isNotNull(schedules.approvedAt));

/**
 * Fires one due schedule, as its owner as they are now, at most once per fire time wherever it is
 * called from (see recordFire). A fire later than MISFIRE_GRACE_MS follows the schedule's misfire
 * policy; one whose previous run is still going follows its overlap policy; a refused one pauses
 * the schedule, and its owners hear of it.
 */
export async function fireSchedule(row: ScheduleRow, now = new Date()): Promise<FireResult> {
  const dueAt = row.nextFireAt;
  if (!dueAt || dueAt.getTime() > now.getTime() || row.pausedAt || row.deletedAt || (row.approvalsRequired > 0 && !row.approvedAt)) return { kind: "none" };
  try {
    return await fire(row, dueAt, now);
  } catch (error) {
    if (error instanceof FireTakenError) return { kind: "none" };
    throw error;
  }
}

async function fire(row: ScheduleRow, dueAt: Date, now: Date): Promise<FireResult> {
  const { db } = await database();
  const timing = timingOf(row);
  const base = { scheduleId: row.id, revision: row.revision, dueAt };
  let fireAt = dueAt;
  if (now.getTime() - dueAt.getTime() > MISFIRE_GRACE_MS) {
    const missed = missedFires(timing, dueAt, now);
    const next: ScheduledFire = { ...base, fireAt: missed.last, nextFireAt: nextFireAfter(timing, now) };
    const noted = missed.count - (row.misfire === "runOnce" ? 1 : 0);
    const details = { runbook: row.runbookSlug, policy: row.misfire, missed: noted, first: dueAt.toISOString(), last: missed.last.toISOString(), ...(missed.capped ? { countedUpTo: missed.count } : {}) };
    if (row.misfire === "skip") {
      await db.transaction(async (tx) => {
        await advanceSchedule(tx, next);
        await recordAudit(tx, { actor: SCHEDULER, action: "schedule.missed", outcome: "failure", subjectType: "schedule", subjectId: String(row.id), details: { ...details, next: next.nextFireAt?.toISOString() ?? null } });
      });
      return { kind: "missed", count: missed.count };
    }
    if (noted > 0) await recordAudit(db, { actor: SCHEDULER, action: "schedule.missed", outcome: "failure", subjectType: "schedule", subjectId: String(row.id), details: { ...details, catchUp: missed.last.toISOString() } });
    fireAt = missed.last;
  }
  const scheduled: ScheduledFire = { ...base, fireAt, nextFireAt: fireAt === dueAt ? nextFireAfter(timing, dueAt) : nextFireAfter(timing, now) };

  if (row.overlap !== "allow") {
    const [active] = await db
      .select({ id: runs.id, status: runs.status })
      .from(runs)
      .where(and(eq(runs.scheduleId, row.id), inArray(runs.status, [...ACTIVE_STATUSES])))
      .limit(1);
    if (active && row.overlap === "skip") {
      const message = `run #${active.id} of the previous fire is still ${active.status.replace("_", " ")} (overlap: skip)`;
      await db.transaction(async (tx) => {
        await recordFire(tx, scheduled, "skipped", { message });
        await recordAudit(tx, { actor: SCHEDULER, action: "schedule.skipped", outcome: "failure", subjectType: "schedule", subjectId: String(row.id), details: { runbook: row.runbookSlug, fireAt: fireAt.toISOString(), reason: message } });
      });
      return { kind: "skipped", message };
    }
  }

  if (row.approvalsRequired > 0) {
    const changed = await approvalNoLongerHolds(row);
    if (changed) return unapprove(row, changed);
  }
  const owner = await personNow(db, row.ownerId, "schedule");
  if (typeof owner === "string") return refuse(row, scheduled, `its owner ${owner}`);
  try {
    const { run } = await requestRunAndRow(
      owner,
      { slug: row.runbookSlug, params: row.params, ...(row.reason ? { reason: row.reason } : {}), ...(row.ticket ? { ticket: row.ticket } : {}) },
      { schedule: { ...scheduled, approved: row.approvalsRequired > 0, ...(row.overlap === "queue" ? { lockKey: `schedule:${row.id}` } : {}) } },
    );
    return { kind: "run", runId: run.id };
  } catch (error) {
    if (error instanceof AppError) return refuse(row, scheduled, `the run was refused: ${error.message}`);
    throw error;
  }
}

/** Why an approved schedule's approval no longer covers its runbook: a new version, or a higher risk. */
async function approvalNoLongerHolds(row: ScheduleRow): Promise<string | undefined> {
  const { db } = await database();
  const [runbook] = await db.select({ version: runbooks.currentVersionHash, risk: runbooks.risk }).from(runbooks).where(eq(runbooks.slug, row.runbookSlug));
  if (!runbook) return undefined;
  if (runbook.version !== row.approvedVersionHash) return `runbook ${row.runbookSlug} has a new version (${runbook.version.slice(0, 12)}) since the schedule was approved for ${row.approvedVersionHash?.slice(0, 12)}`;
  if (riskRank(runbook.risk) > riskRank(row.approvedRisk ?? "low")) return `runbook ${row.runbookSlug}'s risk went from ${row.approvedRisk} to ${runbook.risk} since the schedule was approved`;
  return undefined;
}

/** The approval no longer holds: the schedule waits for a new one (fires nothing meanwhile), and its owners are told. */
async function unapprove(row: ScheduleRow, reason: string): Promise<FireResult> {
  const { db } = await database();
  await db.transaction(async (tx) => {
    const [saved] = await tx
      .update(schedules)
      .set({ approvedAt: null, approvedVersionHash: null, approvedRisk: null, revision: row.revision + 1 })
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
async function refuse(row: ScheduleRow, scheduled: ScheduledFire, message: string): Promise<FireResult> {
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

/** Schedules taken per pass: a full pass is followed at once by the next. */
export const FIRE_BATCH = 200;
/** Each process takes due schedules in an order of its own, so processes racing for a minute's fires mostly take different ones. */
const processOrder = String(Math.random());

/** Fires every schedule due at `now` (at most `limit`), a few at a time; what each did. */
export async function fireDueSchedules(now = new Date(), options: { limit?: number; parallel?: number } = {}): Promise<FireResult[]> {
  const { db } = await database();
  const due = await db
    .select()
    .from(schedules)
    .where(and(isNull(schedules.pausedAt), isNull(schedules.deletedAt), lte(schedules.nextFireAt, now), approvedIfNeeded))
    .orderBy(asc(sql`date_trunc('second', ${schedules.nextFireAt})`), asc(sql`md5(${schedules.id}::text || ${processOrder})`))
    .limit(options.limit ?? FIRE_BATCH);
  const results: FireResult[] = new Array(due.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(options.parallel ?? 4, due.length) }, async () => {
    for (let index = next++; index < due.length; index = next++) results[index] = await fireSchedule(due[index] as ScheduleRow, now);
  });
  await Promise.all(lanes);
  return results;
}

/** When the next active schedule is due, if any. */
export async function nextDueAt(): Promise<Date | null> {
  const { db } = await database();
  const [row] = await db
    .select({ next: min(schedules.nextFireAt) })
    .from(schedules)
    .where(and(isNull(schedules.pausedAt), isNull(schedules.deletedAt), approvedIfNeeded));
  return row?.next ?? null;
}
