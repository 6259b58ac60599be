import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client";

/**
 * Demo mode: the views' schedules written in their files fire at once on a first start, rather than
 * at their first cron time, so a newcomer's dashboard has results within seconds. Only schedules
 * that never fired, of views that have no result yet; each fire is still a normal scheduled run by
 * the schedule's owner. Returns how many were brought forward.
 */
export async function startDemoViews(db: Db, now = new Date()): Promise<number> {
  const moved = await db.execute(sql`
    update schedules set next_fire_at = ${now.toISOString()}::timestamptz
    where defined_in = 'runbook' and paused_at is null and deleted_at is null and next_fire_at > ${now.toISOString()}::timestamptz
      and runbook_slug in (select slug from runbooks where view and archived_at is null)
      and not exists (select 1 from view_results where view_results.runbook_slug = schedules.runbook_slug)
      and not exists (select 1 from schedule_fires where schedule_fires.schedule_id = schedules.id)
    returning id`);
  return rowsOf(moved).length;
}
