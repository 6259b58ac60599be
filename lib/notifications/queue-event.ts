import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client";
import { webhookDeliveries } from "../db/schema";

/**
 * Queues `payload` as `event` to the active hooks subscribed to it: those for every runbook (no
 * owner) and those whose owner `ownedBy` accepts, in the caller's transaction.
 */
export async function queueEventToHooks(tx: Db, event: string, ownedBy: SQL, payload: { event: string }, runId: number | null = null): Promise<void> {
  const hooks = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select id from webhooks
      where active and events @> ${JSON.stringify([event])}::jsonb and (owner is null or ${ownedBy})`),
  );
  if (hooks.length === 0) return;
  await tx.insert(webhookDeliveries).values(hooks.map((hook) => ({ webhookId: hook.id, event, runId, payload: payload as unknown as Record<string, unknown> })));
}
