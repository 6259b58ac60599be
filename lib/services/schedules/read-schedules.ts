import { and, asc, eq, isNull } from "drizzle-orm";
import { database } from "../../db";
import { runbooks, schedules } from "../../db/schema";
import { asRunbook } from "../../policy/ability";
import { abilityFor, type Actor } from "../actor";
import { loadVisibleSchedule, managesSchedule, scheduleViews } from "./schedule-access";
import { toScheduleDto, type ScheduleDto } from "./schedule-dto";

/** The schedules of every runbook the actor may view (of one runbook, when named); others are left out silently. */
export async function listSchedules(actor: Actor, filter: { runbook?: string | undefined } = {}): Promise<ScheduleDto[]> {
  const { db } = await database();
  const [ability, rows] = await Promise.all([
    abilityFor(actor),
    db
      .select({ schedule: schedules, runbook: runbooks })
      .from(schedules)
      .innerJoin(runbooks, eq(runbooks.slug, schedules.runbookSlug))
      .where(and(isNull(schedules.deletedAt), filter.runbook ? eq(schedules.runbookSlug, filter.runbook.slice(0, 100)) : undefined))
      .orderBy(asc(schedules.runbookSlug), asc(schedules.name)),
  ]);
  const visible = rows.filter((row) => ability.can("view", asRunbook(row.runbook))).map((row) => row.schedule);
  const now = new Date();
  return (await scheduleViews(db, visible)).map((view) => toScheduleDto(view, managesSchedule(actor, view.schedule), now));
}

export async function getSchedule(actor: Actor, id: string): Promise<ScheduleDto> {
  const { db } = await database();
  const { row } = await loadVisibleSchedule(db, actor, id);
  const [view] = await scheduleViews(db, [row]);
  return toScheduleDto(view as NonNullable<typeof view>, managesSchedule(actor, row));
}
