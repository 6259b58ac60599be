import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { invalidInput } from "../../errors";
import { asWebhook } from "../../policy/ability";
import { auditActorOf, type Actor } from "../actor";
import { authorize } from "../authorize";
import { parseInput } from "../fields";
import { auditedSettings, toWebhookDto, type WebhookDto, type WebhookRow } from "./webhook-dto";
import { assertOwnerUnchanged, assertWebhookTargetAllowed, authorizeManageWebhook, loadWebhook } from "./webhook-access";
import { updateWebhookInput, type UpdateWebhookInput } from "./webhook-fields";

/** A deactivated hook sends nothing more: what was still waiting is marked failed, and can be redelivered later. */
async function cancelPending(tx: Db, webhookId: string): Promise<number> {
  const cancelled = await tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "cancelled: the webhook was deactivated", nextAttemptAt: sql`now()` })
    .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, "pending")))
    .returning({ id: webhookDeliveries.id });
  return cancelled.length;
}

/**
 * Changes a hook's settings (any of name, url, events, format, owner, active). Moving a hook to
 * another owner needs `manage` for both the current and the new owner, so nobody moves a hook out
 * of their own reach or into someone else's.
 */
export async function updateWebhook(actor: Actor, id: string, input: UpdateWebhookInput): Promise<WebhookDto> {
  const { db } = await database();
  const current = await loadWebhook(db, id);
  const ability = await authorizeManageWebhook(db, actor, current);
  const changes = parseInput(updateWebhookInput, input);
  if (Object.keys(changes).length === 0) throw invalidInput("body", "nothing to change: give at least one of name, url, events, format, owner, active");
  if (changes.url !== undefined && changes.url !== current.url) await assertWebhookTargetAllowed(changes.url);
  if (changes.owner !== undefined && changes.owner !== current.owner) {
    await authorize(db, actor, {
      action: "manage",
      subjectType: "Webhook",
      subject: asWebhook({ owner: changes.owner }),
      subjectId: id,
      label: current.name,
      ability,
      details: { owner: { from: current.owner, to: changes.owner } },
    });
  }
  return db.transaction(async (tx) => {
    const before: WebhookRow = await loadWebhook(tx, id, true);
    assertOwnerUnchanged(before, current);
    const [after] = await tx.update(webhooks).set({ ...changes, updatedAt: new Date() }).where(eq(webhooks.id, id)).returning();
    if (!after) throw new Error("webhook update returned nothing");
    const cancelled = before.active && !after.active ? await cancelPending(tx, id) : 0;
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "webhook.updated",
      outcome: "success",
      subjectType: "webhook",
      subjectId: id,
      details: {
        before: auditedSettings(before),
        after: auditedSettings(after),
        ...(before.url !== after.url ? { urlChanged: true } : {}),
        ...(cancelled > 0 ? { cancelledDeliveries: cancelled } : {}),
      },
    });
    return toWebhookDto(after, true);
  });
}
