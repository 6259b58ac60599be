import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { schedules } from "../../db/schema";
import { AppError, forbidden, invalidInput } from "../../errors";
import { asRunbook } from "../../policy/ability";
import { runPossibility } from "../../policy/explain";
import { nextFireAfter } from "../../schedules/timing";
import { auditActorOf, type Actor } from "../actor";
import { recordDenial } from "../authorize";
import { parseInput } from "../fields";
import { loadRunbook } from "../runbooks/get-runbook";
import { fireSchedule } from "./fire-due";
import { loadVisibleSchedule, managesSchedule, scheduleViews } from "./schedule-access";
import { checkScheduledRun, unapproved } from "./schedule-checks";
import { auditedSchedule, timingOf, toScheduleDto, type ScheduleDto } from "./schedule-dto";
import { pauseScheduleInput, updateScheduleInput, type UpdateScheduleInput } from "./schedule-fields";

type ScheduleRow = typeof schedules.$inferSelect;

/** A schedule written in its runbook's file changes there, as a reviewed version of the runbook. */
function refuseIfDefinedInRunbook(row: ScheduleRow): void {
  if (row.definedIn === "runbook") {
    throw new AppError("conflict", `schedule "${row.name}" is defined in runbook ${row.runbookSlug}'s file (schedules:): change or remove it there; it can still be paused and resumed here`);
  }
}

const changedMeanwhile = () => new AppError("conflict", "the schedule changed while this was being saved (a fire, or another edit): load it again and retry");

async function answer(actor: Actor, row: ScheduleRow): Promise<ScheduleDto> {
  const { db } = await database();
  const [view] = await scheduleViews(db, [row]);
  return toScheduleDto(view as NonNullable<typeof view>, managesSchedule(actor, row));
}

/**
 * Changes a schedule (its owner or an admin). A fire already due is made first, by the schedule as
 * it stood then; the change applies from the next fire time on, and is a new revision.
 */
export async function updateSchedule(actor: Actor, id: string, input: UpdateScheduleInput, now = new Date()): Promise<ScheduleDto> {
  // A scheduler may fire the schedule between the read and the write: then the edit is made again
  // on the schedule as that fire left it, never by putting its fire time back.
  for (let attempt = 1; ; attempt++) {
    try {
      return await updateOnce(actor, id, input, now);
    } catch (error) {
      if (!(error instanceof FiredMeanwhile) || attempt >= 3) throw error instanceof FiredMeanwhile ? changedMeanwhile() : error;
    }
  }
}

class FiredMeanwhile extends Error {}

async function updateOnce(actor: Actor, id: string, input: UpdateScheduleInput, now: Date): Promise<ScheduleDto> {
  const { db } = await database();
  const visible = await loadVisibleSchedule(db, actor, id, "manage");
  let row = visible.row;
  refuseIfDefinedInRunbook(row);
  const fields = parseInput(updateScheduleInput, input);
  const { runbook, definition } = await loadRunbook(db, row.runbookSlug);
  const { ability } = visible;
  const checked = await checkScheduledRun(db, actor, ability, runbook, definition, {
    params: fields.params ?? row.params,
    reason: fields.reason ?? row.reason ?? undefined,
    ticket: fields.ticket ?? row.ticket ?? undefined,
    confirm: fields.confirm,
  });
  if (row.nextFireAt && row.nextFireAt.getTime() <= now.getTime() && !row.pausedAt) {
    await fireSchedule(row, now);
    [row] = (await db.select().from(schedules).where(eq(schedules.id, row.id))) as [ScheduleRow];
  }
  const timingChanged = fields.cron !== undefined || fields.runAt !== undefined || fields.timeZone !== undefined;
  const timing = {
    cron: fields.runAt !== undefined ? null : (fields.cron ?? row.cron),
    runAt: fields.cron !== undefined ? null : fields.runAt !== undefined ? new Date(fields.runAt) : row.runAt,
    timeZone: fields.timeZone ?? row.timeZone,
  };
  const nextFireAt = timingChanged ? nextFireAfter(timingOf(timing), now) : row.nextFireAt;
  if (timingChanged && !nextFireAt) throw invalidInput("runAt", "is in the past: a one-off schedule needs a time still to come");
  const updated = await db.transaction(async (tx) => {
    const [saved] = await tx
      .update(schedules)
      .set({
        ...timing,
        params: checked.values,
        // A new revision is approved afresh, by someone other than whoever made it.
        ...unapproved(checked),
        updatedBy: actor.user.id,
        reason: fields.reason !== undefined ? fields.reason || null : row.reason,
        ticket: fields.ticket !== undefined ? fields.ticket : row.ticket,
        misfire: fields.misfire ?? row.misfire,
        overlap: fields.overlap ?? row.overlap,
        nextFireAt,
        revision: row.revision + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(schedules.id, row.id), eq(schedules.revision, row.revision), row.nextFireAt ? eq(schedules.nextFireAt, row.nextFireAt) : isNull(schedules.nextFireAt)))
      .returning();
    if (!saved) {
      const [current] = await tx.select({ revision: schedules.revision }).from(schedules).where(eq(schedules.id, row.id));
      throw current?.revision === row.revision ? new FiredMeanwhile() : changedMeanwhile();
    }
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "schedule.updated",
      outcome: "success",
      subjectType: "schedule",
      subjectId: String(row.id),
      details: { before: auditedSchedule(row), after: auditedSchedule(saved) },
    });
    return saved;
  });
  return answer(actor, updated);
}

/**
 * Pauses a schedule: it fires no more until someone resumes it. Tightening, so anyone who may run
 * the runbook may pause it (during an incident, say), not only its owner.
 */
export async function pauseSchedule(actor: Actor, id: string, input: unknown): Promise<ScheduleDto> {
  const { db } = await database();
  const { row, ability } = await loadVisibleSchedule(db, actor, id);
  const { runbook } = await loadRunbook(db, row.runbookSlug, { includeArchived: true });
  if (!managesSchedule(actor, row) && !runPossibility(ability, asRunbook(runbook)).possible) {
    const reason = `only someone who may run ${row.runbookSlug}, the schedule's owner or an admin may pause schedule ${id}`;
    await recordDenial(db, actor, { action: "schedule.pause", subjectType: "schedule", subjectId: String(row.id), reason, details: { runbook: row.runbookSlug } });
    throw forbidden(reason);
  }
  const { reason } = parseInput(pauseScheduleInput, input ?? {});
  if (row.pausedAt) return answer(actor, row);
  const pausedReason = reason || `paused by ${actor.user.email}`;
  const paused = await db.transaction(async (tx) => {
    const [saved] = await tx.update(schedules).set({ pausedAt: new Date(), pausedReason, updatedAt: new Date() }).where(eq(schedules.id, row.id)).returning();
    if (!saved) throw changedMeanwhile();
    await recordAudit(tx, { actor: auditActorOf(actor), action: "schedule.paused", outcome: "success", subjectType: "schedule", subjectId: String(row.id), details: { runbook: row.runbookSlug, reason: pausedReason } });
    return saved;
  });
  return answer(actor, paused);
}

/** Resumes a paused schedule (its owner or an admin) from its next fire time after now: what it missed while paused is not run. */
export async function resumeSchedule(actor: Actor, id: string, now = new Date()): Promise<ScheduleDto> {
  const { db } = await database();
  const { row } = await loadVisibleSchedule(db, actor, id, "manage");
  if (!row.pausedAt) return answer(actor, row);
  const nextFireAt = nextFireAfter(timingOf(row), now);
  if (!nextFireAt) throw new AppError("conflict", `schedule ${id} was once, at ${row.runAt?.toISOString()}, which has passed: change its runAt to run it again`);
  const resumed = await db.transaction(async (tx) => {
    const [saved] = await tx
      .update(schedules)
      .set({ pausedAt: null, pausedReason: null, nextFireAt, revision: row.revision + 1, updatedAt: new Date() })
      .where(and(eq(schedules.id, row.id), eq(schedules.revision, row.revision)))
      .returning();
    if (!saved) throw changedMeanwhile();
    await recordAudit(tx, { actor: auditActorOf(actor), action: "schedule.resumed", outcome: "success", subjectType: "schedule", subjectId: String(row.id), details: { runbook: row.runbookSlug, nextFireAt: nextFireAt.toISOString(), wasPaused: row.pausedReason } });
    return saved;
  });
  return answer(actor, resumed);
}

/** Deletes a schedule (its owner or an admin); its fires and runs stay in history. */
export async function deleteSchedule(actor: Actor, id: string): Promise<{ deleted: number }> {
  const { db } = await database();
  const { row } = await loadVisibleSchedule(db, actor, id, "manage");
  refuseIfDefinedInRunbook(row);
  await db.transaction(async (tx) => {
    await tx.update(schedules).set({ deletedAt: new Date(), nextFireAt: null, revision: row.revision + 1 }).where(eq(schedules.id, row.id));
    await recordAudit(tx, { actor: auditActorOf(actor), action: "schedule.deleted", outcome: "success", subjectType: "schedule", subjectId: String(row.id), details: auditedSchedule(row) });
  });
  return { deleted: row.id };
}
