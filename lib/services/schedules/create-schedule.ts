import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { schedules } from "../../db/schema";
import { AppError, invalidInput } from "../../errors";
import { asRunbook } from "../../policy/ability";
import { nextFireAfter } from "../../schedules/timing";
import { auditActorOf, type Actor } from "../actor";
import { authorizeVisible } from "../authorize";
import { parseInput } from "../fields";
import { loadRunbook } from "../runbooks/get-runbook";
import { scheduleViews } from "./schedule-access";
import { checkScheduledRun } from "./schedule-checks";
import { auditedSchedule, timingOf, toScheduleDto, type ScheduleDto } from "./schedule-dto";
import { createScheduleInput, type CreateScheduleInput } from "./schedule-fields";

/**
 * Creates a schedule owned by the caller: they must see the runbook (else 404) and be allowed to run
 * it with the schedule's parameters (else 403, audited), exactly as each fire will check again. One
 * for a runbook whose runs need approval waits for that approval (of the schedule) before it fires.
 */
export async function createSchedule(actor: Actor, input: CreateScheduleInput, now = new Date()): Promise<ScheduleDto> {
  const { db } = await database();
  const slug = typeof input?.runbook === "string" ? input.runbook : "";
  const { runbook, definition } = await loadRunbook(db, slug);
  const ability = await authorizeVisible(db, actor, { action: "view", subjectType: "Runbook", subject: asRunbook(runbook), subjectId: runbook.slug, label: runbook.slug, notFoundMessage: `no runbook "${slug}"` });
  const fields = parseInput(createScheduleInput, input);
  const checked = await checkScheduledRun(db, actor, ability, runbook, definition, { params: fields.params ?? {}, reason: fields.reason, ticket: fields.ticket, confirm: fields.confirm });
  const runAt = fields.runAt === undefined ? null : new Date(fields.runAt);
  const timing = { cron: fields.cron ?? null, runAt, timeZone: fields.timeZone ?? "UTC" };
  const nextFireAt = nextFireAfter(timingOf(timing), now);
  if (!nextFireAt) throw invalidInput("runAt", "is in the past: a one-off schedule needs a time still to come");
  const [taken] = await db.select({ id: schedules.id }).from(schedules).where(and(eq(schedules.runbookSlug, runbook.slug), eq(schedules.name, fields.name), isNull(schedules.deletedAt)));
  if (taken) throw new AppError("conflict", `runbook "${runbook.slug}" already has a schedule named "${fields.name}"`, "name");
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(schedules)
      .values({
        runbookSlug: runbook.slug,
        name: fields.name,
        ...timing,
        params: checked.values,
        approvalsRequired: checked.approvalsRequired,
        approvers: checked.approvers,
        updatedBy: actor.user.id,
        reason: fields.reason || null,
        ticket: fields.ticket ?? null,
        ownerId: actor.user.id,
        misfire: fields.misfire ?? "skip",
        overlap: fields.overlap ?? "skip",
        nextFireAt,
      })
      .returning();
    if (!created) throw new Error("schedule insert returned nothing");
    await recordAudit(tx, { actor: auditActorOf(actor), action: "schedule.created", outcome: "success", subjectType: "schedule", subjectId: String(created.id), details: auditedSchedule(created) });
    return created;
  });
  const [view] = await scheduleViews(db, [row]);
  return toScheduleDto(view as NonNullable<typeof view>, true, now);
}
