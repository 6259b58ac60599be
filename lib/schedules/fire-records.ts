import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { scheduleFires, schedules, type ScheduleFireOutcome } from "../db/schema";

/** One fire time of one schedule, as computed from the revision read: it commits only if that still stands. */
export interface ScheduledFire {
  scheduleId: number;
  revision: number;
  /** The schedule's next fire time as read: the fire commits only if it still stands. */
  dueAt: Date;
  /** The fire time recorded: `dueAt`, or the latest missed one for a catch-up run after downtime. */
  fireAt: Date;
  /** Where the schedule goes next once this fire is recorded; null when it has no more fires. */
  nextFireAt: Date | null;
}

/** Another process recorded this fire first, or the schedule changed since it was read: nothing is done. */
export class FireTakenError extends Error {
  constructor(fire: ScheduledFire) {
    super(`schedule ${fire.scheduleId}: the fire at ${fire.fireAt.toISOString()} was taken or the schedule changed`);
  }
}

/**
 * Records a fire and moves its schedule on, in the caller's transaction: at most once per schedule
 * and fire time (the primary key), and only against the revision and fire time the fire was
 * computed from, so an edit or another process that got there first makes it throw FireTakenError
 * and the whole transaction (its run included) roll back.
 */
export async function recordFire(tx: Db, fire: ScheduledFire, outcome: ScheduleFireOutcome, result: { runId?: number; message?: string; pause?: boolean } = {}): Promise<void> {
  // The schedule's row first, as a batch of fires locks it (commit-fires.ts): never the other way round.
  await advanceSchedule(tx, fire, result.pause && result.message ? { reason: result.message } : undefined);
  const recorded = await tx
    .insert(scheduleFires)
    .values({ scheduleId: fire.scheduleId, fireAt: fire.fireAt, outcome, runId: result.runId ?? null, message: result.message ?? null })
    .onConflictDoNothing()
    .returning({ scheduleId: scheduleFires.scheduleId });
  if (recorded.length === 0) throw new FireTakenError(fire);
}

/** Moves a schedule to its next fire time (pausing it, with a reason), if it still stands at the revision and time read; else FireTakenError. */
export async function advanceSchedule(tx: Db, fire: ScheduledFire, paused?: { reason: string }): Promise<void> {
  const advanced = await tx
    .update(schedules)
    .set({ nextFireAt: fire.nextFireAt, ...(paused ? { pausedAt: new Date(), pausedReason: paused.reason } : {}) })
    .where(and(eq(schedules.id, fire.scheduleId), eq(schedules.revision, fire.revision), eq(schedules.nextFireAt, fire.dueAt)))
    .returning({ id: schedules.id });
  if (advanced.length === 0) throw new FireTakenError(fire);
}

/**
 * Records many fires that started runs, and moves their schedules on, in the caller's transaction,
 * which holds their schedules' rows (FOR UPDATE) and saw them at the revision and time read: two
 * statements however many. A fire recorded already makes it throw FireTakenError.
 */
export async function recordRunFires(tx: Db, fires: ReadonlyArray<{ fire: ScheduledFire; runId: number }>): Promise<void> {
  const [first] = fires;
  if (!first) return;
  const moves = fires.map(({ fire }) => sql`(${fire.scheduleId}::int, ${fire.revision}::int, ${fire.dueAt.toISOString()}::timestamptz, ${fire.nextFireAt?.toISOString() ?? null}::timestamptz)`);
  // Sent together: should a fire be recorded already, the error rolls the move back with it.
  const [recorded] = await Promise.all([
    tx
      .insert(scheduleFires)
      .values(fires.map(({ fire, runId }) => ({ scheduleId: fire.scheduleId, fireAt: fire.fireAt, outcome: "run" as const, runId })))
      .onConflictDoNothing()
      .returning({ scheduleId: scheduleFires.scheduleId }),
    tx.execute(sql`
      update schedules set next_fire_at = moved.next_fire_at
      from (values ${sql.join(moves, sql`, `)}) as moved(id, revision, due_at, next_fire_at)
      where schedules.id = moved.id and schedules.revision = moved.revision and schedules.next_fire_at = moved.due_at`),
  ]);
  if (recorded.length < fires.length) {
    const taken = fires.find(({ fire }) => !recorded.some((row) => row.scheduleId === fire.scheduleId));
    throw new FireTakenError((taken ?? first).fire);
  }
}
