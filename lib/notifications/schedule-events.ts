import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { queueEventToHooks } from "./queue-event";

export const SCHEDULE_PAUSED_EVENT = "schedule.paused";

export interface SchedulePausedPayload {
  event: typeof SCHEDULE_PAUSED_EVENT;
  at: string;
  url: string;
  schedule: { id: number; name: string; runbook: { slug: string; owner: string }; owner: { email: string; name: string }; fireAt: string; reason: string };
}

/**
 * Queues `schedule.paused` to the hooks that want it: those for every runbook, the runbook owner's
 * team's and the schedule owner's teams' hooks, in the caller's transaction (with the pause itself).
 */
export async function queueSchedulePaused(tx: Db, payload: Omit<SchedulePausedPayload, "event" | "at">): Promise<void> {
  const { schedule } = payload;
  const ownedBy = sql`owner = ${schedule.runbook.owner} or owner in (
    select t.name from team_members m join teams t on t.id = m.team_id join users u on u.id = m.user_id where u.email = ${schedule.owner.email})`;
  const full: SchedulePausedPayload = { event: SCHEDULE_PAUSED_EVENT, at: new Date().toISOString(), ...payload };
  await queueEventToHooks(tx, SCHEDULE_PAUSED_EVENT, ownedBy, full);
}
