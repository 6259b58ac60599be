import { and, eq, sql } from "drizzle-orm";
import type { DatabaseHandle, Db } from "../db/client";
import { webhookDeliveries, type WebhookFormat } from "../db/schema";
import type { SealedSecret } from "../secrets/keyring";
import type { DeliveryPayload } from "./delivery-body";

export interface ClaimedDelivery {
  id: number;
  event: string;
  payload: DeliveryPayload;
  /** This attempt's number, counting from 1: also the fencing token for recording its outcome. */
  attempts: number;
  webhook: { id: string; url: string; format: WebhookFormat; sealed: SealedSecret };
}

interface ClaimRow {
  id: number | string;
  event: string;
  payload: DeliveryPayload | string;
  attempts: number;
  webhook_id: string;
  url: string;
  format: WebhookFormat;
  secret_ciphertext: string;
  secret_key_id: string;
}

const after = (ms: number) => sql`now() + ${Math.max(0, Math.round(ms))} * interval '1 millisecond'`;

/**
 * Claims due deliveries of active hooks. Rows locked by another claimer are skipped, and a claimed
 * row's next attempt moves a lease into the future before the claim commits, so no other process
 * sends it while this one does; the HTTP request itself runs outside any transaction. If this
 * process dies mid-send, the delivery is retried once the lease runs out (at-least-once delivery).
 */
export async function claimDueDeliveries(handle: DatabaseHandle, options: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
  const rows = await handle.query<ClaimRow>(sql`
    with due as (
      select candidate.id from webhook_deliveries candidate
      join webhooks hook on hook.id = candidate.webhook_id
      where candidate.status = 'pending' and candidate.next_attempt_at <= now() and hook.active
      order by candidate.next_attempt_at, candidate.id
      limit ${options.limit}
      for update of candidate skip locked
    )
    update webhook_deliveries delivery
    set attempts = delivery.attempts + 1, last_attempt_at = now(), next_attempt_at = ${after(options.leaseMs)}
    from due, webhooks hook
    where delivery.id = due.id and hook.id = delivery.webhook_id
    returning delivery.id, delivery.event, delivery.payload, delivery.attempts,
      hook.id as webhook_id, hook.url, hook.format, hook.secret_ciphertext, hook.secret_key_id`);
  return rows.map((row) => ({
    id: Number(row.id),
    event: row.event,
    payload: (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as DeliveryPayload,
    attempts: row.attempts,
    webhook: { id: row.webhook_id, url: row.url, format: row.format, sealed: { ciphertext: row.secret_ciphertext, keyId: row.secret_key_id } },
  }));
}

/** Only the claim that made this attempt may record it: a redelivery or a later claim changes `attempts`. */
const sameClaim = (claimed: ClaimedDelivery) =>
  and(eq(webhookDeliveries.id, claimed.id), eq(webhookDeliveries.attempts, claimed.attempts), eq(webhookDeliveries.status, "pending"));

export type AttemptResult =
  | { delivered: true; responseStatus: number }
  | { delivered: false; responseStatus: number | null; error: string; retryInMs: number | null };

export async function recordAttempt(db: Db, claimed: ClaimedDelivery, result: AttemptResult): Promise<void> {
  if (result.delivered) {
    await db
      .update(webhookDeliveries)
      .set({ status: "delivered", deliveredAt: sql`now()`, responseStatus: result.responseStatus, lastError: null })
      .where(sameClaim(claimed));
    return;
  }
  const next = result.retryInMs === null ? { status: "failed" as const } : { nextAttemptAt: after(result.retryInMs) };
  await db
    .update(webhookDeliveries)
    .set({ ...next, responseStatus: result.responseStatus, lastError: result.error })
    .where(sameClaim(claimed));
}

/** Hands an interrupted attempt back uncounted, due at once, for whichever process claims next. */
export async function releaseClaim(db: Db, claimed: ClaimedDelivery): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ attempts: claimed.attempts - 1, nextAttemptAt: sql`now()` })
    .where(sameClaim(claimed));
}
