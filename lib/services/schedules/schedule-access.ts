import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runs, scheduleFires, schedules, users } from "../../db/schema";
import { forbidden, notFound } from "../../errors";
import { asRunbook, type AppAbility } from "../../policy/ability";
import type { Actor } from "../actor";
import { authorizeVisible, recordDenial } from "../authorize";
import { loadRunbook } from "../runbooks/get-runbook";
import type { ScheduleView } from "./schedule-dto";

type ScheduleRow = typeof schedules.$inferSelect;

const ID_SYNTAX = /^[1-9][0-9]{0,14}$/;

export const missingSchedule = (id: string | number) => notFound(`no schedule ${String(id).slice(0, 20)}`);

/** The owner and the last fire of each schedule, for its DTO: two queries however many schedules. */
export async function scheduleViews(db: Db, rows: readonly ScheduleRow[]): Promise<ScheduleView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [owners, lastFires] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(inArray(users.id, [...new Set(rows.map((row) => row.ownerId))])),
    db
      .selectDistinctOn([scheduleFires.scheduleId], {
        scheduleId: scheduleFires.scheduleId,
        fireAt: scheduleFires.fireAt,
        outcome: scheduleFires.outcome,
        runId: scheduleFires.runId,
        message: scheduleFires.message,
        runStatus: runs.status,
      })
      .from(scheduleFires)
      .leftJoin(runs, eq(runs.id, scheduleFires.runId))
      .where(inArray(scheduleFires.scheduleId, ids))
      .orderBy(scheduleFires.scheduleId, desc(scheduleFires.fireAt)),
  ]);
  const ownerById = new Map(owners.map((owner) => [owner.id, owner]));
  const lastFireOf = new Map(lastFires.map((fire) => [fire.scheduleId, fire]));
  return rows.map((schedule) => {
    const owner = ownerById.get(schedule.ownerId) ?? { id: schedule.ownerId, email: "", name: "" };
    const last = lastFireOf.get(schedule.id);
    return { schedule, owner, lastFire: last ? { fireAt: last.fireAt, outcome: last.outcome, runId: last.runId, message: last.message, runStatus: last.runStatus } : null };
  });
}

/** A schedule is a standing run request: a token changes one only with the `run` scope. */
const tokenMayRun = (actor: Actor) => actor.scopes === undefined || actor.scopes.includes("run");

/** Its owner, or an admin, may change, resume or delete a schedule (with a token, one with the `run` scope). */
export function managesSchedule(actor: Actor, row: ScheduleRow): boolean {
  return (row.ownerId === actor.user.id || actor.user.role === "admin") && tokenMayRun(actor);
}

/**
 * A schedule the actor may see: one of a runbook they may view (any other answers exactly like a
 * missing one, 404). With `manage`, they must also be its owner or an admin (else 403, audited).
 */
export async function loadVisibleSchedule(db: Db, actor: Actor, id: string, need?: "manage"): Promise<{ row: ScheduleRow; ability: AppAbility }> {
  if (!ID_SYNTAX.test(id)) throw missingSchedule(id);
  const [row] = await db.select().from(schedules).where(and(eq(schedules.id, Number(id)), isNull(schedules.deletedAt)));
  if (!row) throw missingSchedule(id);
  const { runbook } = await loadRunbook(db, row.runbookSlug, { includeArchived: true });
  const ability = await authorizeVisible(db, actor, {
    action: "view",
    subjectType: "Runbook",
    subject: asRunbook(runbook),
    subjectId: runbook.slug,
    label: `schedule ${id}`,
    notFoundMessage: missingSchedule(id).message,
  });
  if (need === "manage" && !managesSchedule(actor, row)) {
    const reason = tokenMayRun(actor) ? `only the schedule's owner or an admin may change schedule ${id}` : "this token lacks the run scope, which changing a schedule needs";
    await recordDenial(db, actor, { action: "schedule.manage", subjectType: "schedule", subjectId: String(row.id), reason, details: { runbook: row.runbookSlug } });
    throw forbidden(reason);
  }
  return { row, ability };
}
