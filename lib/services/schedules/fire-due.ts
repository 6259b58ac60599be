import { and, asc, eq, inArray, isNotNull, isNull, lte, min, or, sql } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database, type DatabaseHandle } from "../../db";
import { runs, schedules } from "../../db/schema";
import { AppError } from "../../errors";
import { advanceSchedule, FireTakenError, recordFire, type ScheduledFire } from "../../schedules/fire-records";
import { missedFires, nextFireAfter } from "../../schedules/timing";
import { namedApprovers } from "../../runbooks/schema-parts";
import { forOneRequest, type Actor } from "../actor";
import { personNow } from "../actor-now";
import { prepareRun } from "../runs/prepare-run";
import { loadRunbook } from "../runbooks/get-runbook";
import { commitFires, type PreparedFire } from "./commit-fires";
import { approvalNoLongerHolds, refuse, SCHEDULER, unapprove, type FireResult, type ScheduleRow } from "./fire-outcomes";
import { timingOf } from "./schedule-dto";

export type { FireResult } from "./fire-outcomes";

/** A fire this late was missed (the scheduler was down, or the clock jumped): the misfire policy applies. */
export const MISFIRE_GRACE_MS = 60_000;
/** Runs a schedule's previous fire may still be in: with `overlap: skip` the next fire then starts none. */
const ACTIVE_STATUSES = ["pending_approval", "queued", "running", "waiting"] as const;
/** Schedules taken per pass: a full pass is followed at once by the next. */
export const FIRE_BATCH = 200;
/** Fires whose runs start in one transaction, under one hold of the audit chain's lock. */
const COMMIT_BATCH = 100;
/** Each process takes due schedules in an order of its own, so processes racing for a minute's fires mostly take different ones. */
const processOrder = String(Math.random());

/** A schedule whose revision waits for approval fires nothing until it has it. */
const approvedIfNeeded = or(eq(schedules.approvalsRequired, 0), isNotNull(schedules.approvedAt));

/** What one pass reads once for all the schedules it fires: owners as they are now, runbooks' versions, runs still going. */
class FirePass {
  private readonly owners = new Map<string, Promise<Actor | string>>();
  private readonly runbooks = new Map<string, ReturnType<typeof loadRunbook>>();

  constructor(
    readonly handle: DatabaseHandle,
    readonly now: Date,
    /** Per schedule with `overlap` other than allow, its previous fire's run still going. */
    readonly activeRuns: Map<number, { id: number; status: string }>,
  ) {}

  static async start(handle: DatabaseHandle, rows: readonly ScheduleRow[], now: Date): Promise<FirePass> {
    const watched = rows.filter((row) => row.overlap !== "allow").map((row) => row.id);
    const active =
      watched.length === 0
        ? []
        : await handle.db
            .select({ scheduleId: runs.scheduleId, id: runs.id, status: runs.status })
            .from(runs)
            .where(and(inArray(runs.scheduleId, watched), inArray(runs.status, [...ACTIVE_STATUSES])));
    return new FirePass(handle, now, new Map(active.map((run) => [run.scheduleId ?? 0, run])));
  }

  /** The owner as they are now; one ability per owner for the whole pass. */
  owner(userId: string): Promise<Actor | string> {
    let owner = this.owners.get(userId);
    if (!owner) {
      owner = personNow(this.handle.db, userId, "schedule").then((person) => (typeof person === "string" ? person : forOneRequest(person)));
      this.owners.set(userId, owner);
    }
    return owner;
  }

  /** The runbook and its current definition, read once per pass. */
  runbook(slug: string): ReturnType<typeof loadRunbook> {
    let loaded = this.runbooks.get(slug);
    if (!loaded) {
      loaded = loadRunbook(this.handle.db, slug);
      // Not found is the fire's answer, not the pass's failure.
      loaded.catch(() => undefined);
      this.runbooks.set(slug, loaded);
    }
    return loaded;
  }
}

/**
 * Works out one due schedule's fire, as its owner as they are now: a run request ready to commit,
 * or what happened instead. A fire later than MISFIRE_GRACE_MS follows the schedule's misfire
 * policy; one whose previous run is still going follows its overlap policy; one the owner may not
 * make pauses the schedule, and its owners hear of it; one whose runs need approval the schedule's
 * approval does not cover makes it wait for approval.
 */
async function prepareFire(pass: FirePass, row: ScheduleRow): Promise<FireResult | PreparedFire> {
  const { now } = pass;
  const { db } = pass.handle;
  const dueAt = row.nextFireAt;
  if (!dueAt || dueAt.getTime() > now.getTime() || row.pausedAt || row.deletedAt || (row.approvalsRequired > 0 && !row.approvedAt)) return { kind: "none" };
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

  const active = pass.activeRuns.get(row.id);
  if (active && row.overlap === "skip") {
    const message = `run #${active.id} of the previous fire is still ${active.status.replace("_", " ")} (overlap: skip)`;
    await db.transaction(async (tx) => {
      await recordFire(tx, scheduled, "skipped", { message });
      await recordAudit(tx, { actor: SCHEDULER, action: "schedule.skipped", outcome: "failure", subjectType: "schedule", subjectId: String(row.id), details: { runbook: row.runbookSlug, fireAt: fireAt.toISOString(), reason: message } });
    });
    return { kind: "skipped", message };
  }

  if (row.approvalsRequired > 0) {
    const { runbook } = await pass.runbook(row.runbookSlug).catch(() => ({ runbook: undefined }));
    const changed = approvalNoLongerHolds(row, runbook && { version: runbook.currentVersionHash, risk: runbook.risk });
    if (changed) return unapprove(row, changed);
  }
  const owner = await pass.owner(row.ownerId);
  if (typeof owner === "string") return refuse(row, scheduled, `its owner ${owner}`);
  try {
    const prepared = await prepareRun(
      db,
      owner,
      { slug: row.runbookSlug, params: row.params, ...(row.reason ? { reason: row.reason } : {}), ...(row.ticket ? { ticket: row.ticket } : {}) },
      { schedule: { ...scheduled, ...(row.overlap === "queue" ? { lockKey: `schedule:${row.id}` } : {}) }, loaded: pass.runbook(row.runbookSlug) },
    );
    // Nobody approves or confirms a fire: the schedule's own approval must stand in for what the run needs now.
    const granted = row.approvedAt ? row.approvalsRequired : 0;
    const needed = prepared.scheduleApprovalsNeeded;
    if (needed > granted) {
      const reason = `runs of ${row.runbookSlug} now need ${needed === 1 ? "an approval" : `${needed} approvals`} (its risk, approval rules or your policies changed), which the schedule does not have`;
      return unapprove(row, reason, { approvalsRequired: needed, approvers: namedApprovers(prepared.definition.approval) });
    }
    return { fire: scheduled, prepared };
  } catch (error) {
    if (error instanceof AppError) return refuse(row, scheduled, `the run was refused: ${error.message}`);
    throw error;
  }
}

/** Whatever an outcome's own transaction found another process (or an edit) got there first, nothing happened. */
async function unlessTaken<T extends FireResult | PreparedFire>(work: Promise<T>): Promise<T | FireResult> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof FireTakenError) return { kind: "none" };
    throw error;
  }
}

/**
 * Fires these schedules, those due at `now`, at most once per fire time however many processes
 * fire them at once: `parallel` lanes work out the fires, and the runs of those ready start
 * COMMIT_BATCH at a time, one transaction each (commit-fires.ts). What each did, in order.
 */
async function fireSchedules(rows: readonly ScheduleRow[], now: Date, parallel: number): Promise<FireResult[]> {
  const handle = await database();
  const pass = await FirePass.start(handle, rows, now);
  const results: FireResult[] = rows.map(() => ({ kind: "none" }));
  const ready: Array<PreparedFire & { index: number }> = [];
  // Two batches commit at once: one inserts its runs while the other holds the audit chain's lock.
  const committing: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
  let batches = 0;
  const commit = (batch: Array<PreparedFire & { index: number }>): Promise<void> =>
    commitFires(handle, batch).then(
      (started) => {
        for (const fire of batch) {
          const runId = started.get(fire.fire.scheduleId);
          if (runId !== undefined) results[fire.index] = { kind: "run", runId };
        }
      },
      async (error: unknown) => {
        // One fire of the batch was taken after all: the others go one by one, so only that one is lost.
        if (!(error instanceof FireTakenError) || batch.length === 1) {
          if (error instanceof FireTakenError) return;
          throw error;
        }
        for (const fire of batch) await commit([fire]);
      },
    );
  let failure: unknown;
  const flush = (all: boolean) => {
    while (ready.length >= COMMIT_BATCH || (all && ready.length > 0)) {
      const batch = ready.splice(0, COMMIT_BATCH);
      // After a failure the rest wait for the next pass, which finds them still due.
      const lane = batches++ % committing.length;
      committing[lane] = (committing[lane] as Promise<void>).then(() => (failure === undefined ? commit(batch) : undefined)).catch((error: unknown) => {
        failure ??= error;
      });
    }
  };
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, rows.length) }, async () => {
    for (let index = next++; index < rows.length; index = next++) {
      const outcome = await unlessTaken(prepareFire(pass, rows[index] as ScheduleRow));
      if ("prepared" in outcome) {
        ready.push({ ...outcome, index });
        flush(false);
      } else {
        results[index] = outcome;
      }
    }
  });
  await Promise.all(lanes);
  flush(true);
  await Promise.all(committing);
  if (failure !== undefined) throw failure;
  return results;
}

/** Fires one schedule if it is due at `now` (an edit of a due schedule fires it first, as it stood). */
export async function fireSchedule(row: ScheduleRow, now = new Date()): Promise<FireResult> {
  const [result] = await fireSchedules([row], now, 1);
  return result ?? { kind: "none" };
}

/** Fires every schedule due at `now` (at most `limit`); what each did. */
export async function fireDueSchedules(now = new Date(), options: { limit?: number; parallel?: number } = {}): Promise<FireResult[]> {
  const { db } = await database();
  const due = await db
    .select()
    .from(schedules)
    .where(and(isNull(schedules.pausedAt), isNull(schedules.deletedAt), lte(schedules.nextFireAt, now), approvedIfNeeded))
    .orderBy(asc(sql`date_trunc('second', ${schedules.nextFireAt})`), asc(sql`md5(${schedules.id}::text || ${processOrder})`))
    .limit(options.limit ?? FIRE_BATCH);
  return fireSchedules(due, now, options.parallel ?? 8);
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
