import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsOf } from "../db/client";
import { webhookDeliveries } from "../db/schema";

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
  const hooks = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select id from webhooks
      where active and events @> ${JSON.stringify([SCHEDULE_PAUSED_EVENT])}::jsonb
        and (owner is null or owner = ${schedule.runbook.owner} or owner in (
          select t.name from team_members m join teams t on t.id = m.team_id join users u on u.id = m.user_id where u.email = ${schedule.owner.email}))`),
  );
  if (hooks.length === 0) return;
  const full: SchedulePausedPayload = { event: SCHEDULE_PAUSED_EVENT, at: new Date().toISOString(), ...payload };
  await tx.insert(webhookDeliveries).values(hooks.map((hook) => ({ webhookId: hook.id, event: SCHEDULE_PAUSED_EVENT, runId: null, payload: full as unknown as Record<string, unknown> })));
}
