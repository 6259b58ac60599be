import { and, eq, isNull } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { Db } from "../../db/client";
import { schedules, users, type RunbookSource } from "../../db/schema";
import { invalidInput } from "../../errors";
import type { RunbookDefinition } from "../../runbooks/definition";
import type { ScheduleDefinition } from "../../runbooks/schedule-definitions";
import { nextFireAfter } from "../../schedules/timing";
import { approvalsFromDefinition, unapproved } from "./schedule-checks";
import { auditedSchedule, timingOf } from "./schedule-dto";

type ScheduleRow = typeof schedules.$inferSelect;

/** The row's settings a runbook's `schedules:` entry gives. */
function settingsOf(schedule: ScheduleDefinition, ownerId: string) {
  return {
    cron: schedule.cron ?? null,
    runAt: schedule.runAt === undefined ? null : new Date(schedule.runAt),
    timeZone: schedule.timeZone,
    params: schedule.params,
    reason: schedule.reason ?? null,
    ticket: schedule.ticket ?? null,
    ownerId,
    misfire: schedule.misfire,
    overlap: schedule.overlap,
  };
}

const sameSettings = (row: ScheduleRow, settings: ReturnType<typeof settingsOf>) =>
  JSON.stringify(auditedSchedule({ ...row, ...settings })) === JSON.stringify(auditedSchedule(row)) && row.ownerId === settings.ownerId;

/**
 * Makes a runbook's schedules what the version becoming current says (in its transaction): new ones
 * created, changed ones a new revision from their next fire time after now, removed ones deleted;
 * each audited as the version's author. Only a runbook kept in a file may carry `schedules:` (its
 * repository reviews who they run as); one authored in Handrail schedules through the API. An owner
 * who is not an active user leaves the schedule paused, saying so.
 */
export async function reconcileRunbookSchedules(tx: Db, slug: string, definition: RunbookDefinition, source: RunbookSource, actor: AuditActor, now = new Date()): Promise<void> {
  const wanted = definition.schedules ?? [];
  if (wanted.length > 0 && source !== "file") {
    throw invalidInput("schedules", "only a runbook kept in a file may define schedules; for one authored in Handrail, create them on the Schedules page or with the API");
  }
  const existing = await tx.select().from(schedules).where(and(eq(schedules.runbookSlug, slug), isNull(schedules.deletedAt)));
  const audit = (action: string, row: ScheduleRow, details: Record<string, unknown>) =>
    recordAudit(tx, { actor, action, outcome: "success", subjectType: "schedule", subjectId: String(row.id), details: { ...details, definedIn: "runbook" } });

  for (const schedule of wanted) {
    const [owner] = await tx.select({ id: users.id, active: users.active }).from(users).where(eq(users.email, schedule.owner));
    const row = existing.find((candidate) => candidate.name === schedule.name);
    const problem = !owner ? `owner ${schedule.owner} is not a Handrail user` : !owner.active ? `owner ${schedule.owner} is not active` : undefined;
    const settings = settingsOf(schedule, owner?.id ?? row?.ownerId ?? "");
    if (!owner && !row) {
      // Nobody to run it as: nothing is created, and the audit log says why.
      await recordAudit(tx, { actor, action: "schedule.refused", outcome: "failure", subjectType: "runbook", subjectId: slug, details: { schedule: schedule.name, reason: problem } });
      continue;
    }
    const nextFireAt = nextFireAfter(timingOf(settings), now);
    const paused = problem ? { pausedAt: now, pausedReason: problem } : {};
    // Whoever wrote the schedule into the file may not also approve it.
    const revised = { ...unapproved(approvalsFromDefinition(definition, schedule.params)), updatedBy: actor.type === "user" ? (actor.id ?? null) : null };
    if (!row) {
      const [created] = await tx.insert(schedules).values({ runbookSlug: slug, name: schedule.name, ...settings, nextFireAt, definedIn: "runbook", ...revised, ...paused }).returning();
      if (created) await audit("schedule.created", created, auditedSchedule(created));
      continue;
    }
    const unchanged = row.definedIn === "runbook" && sameSettings(row, settings);
    if (unchanged && (!problem || row.pausedReason === problem)) continue;
    const [saved] = await tx
      .update(schedules)
      .set({ ...settings, nextFireAt: sameSettings(row, settings) ? row.nextFireAt : nextFireAt, definedIn: "runbook", revision: row.revision + 1, updatedAt: now, ...(unchanged ? {} : revised), ...paused })
      .where(eq(schedules.id, row.id))
      .returning();
    if (saved) await audit("schedule.updated", saved, { before: auditedSchedule(row), after: auditedSchedule(saved), ...(problem ? { paused: problem } : {}) });
  }
  for (const row of existing) {
    if (row.definedIn !== "runbook" || wanted.some((schedule) => schedule.name === row.name)) continue;
    await tx.update(schedules).set({ deletedAt: now, nextFireAt: null, revision: row.revision + 1 }).where(eq(schedules.id, row.id));
    await audit("schedule.deleted", row, { ...auditedSchedule(row), reason: "removed from the runbook" });
  }
}
