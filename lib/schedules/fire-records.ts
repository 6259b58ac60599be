import { and, eq } from "drizzle-orm";
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
  const recorded = await tx
    .insert(scheduleFires)
    .values({ scheduleId: fire.scheduleId, fireAt: fire.fireAt, outcome, runId: result.runId ?? null, message: result.message ?? null })
    .onConflictDoNothing()
    .returning({ scheduleId: scheduleFires.scheduleId });
  if (recorded.length === 0) throw new FireTakenError(fire);
  await advanceSchedule(tx, fire, result.pause && result.message ? { reason: result.message } : undefined);
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
