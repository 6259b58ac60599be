import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { webhookDeliveries, webhooks } from "../../db/schema";
import { auditActorOf, type Actor } from "../actor";
import { auditedSettings } from "./webhook-dto";
import { assertOwnerUnchanged, authorizeManageWebhook, loadWebhook } from "./webhook-access";

/**
 * Deletes a hook and its delivery log for good; what was still pending is never sent. The audit
 * log keeps the record of the hook and of its deletion. To pause a hook and keep its log,
 * deactivate it instead (`active: false`).
 */
export async function deleteWebhook(actor: Actor, id: string): Promise<{ id: string; name: string; deliveriesDeleted: number }> {
  const { db } = await database();
  const hook = await loadWebhook(db, id);
  await authorizeManageWebhook(db, actor, hook);
  return db.transaction(async (tx) => {
    const before = await loadWebhook(tx, id, true);
    assertOwnerUnchanged(before, hook);
    const deliveries = await tx.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).returning({ id: webhookDeliveries.id });
    await tx.delete(webhooks).where(eq(webhooks.id, id));
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "webhook.deleted",
      outcome: "success",
      subjectType: "webhook",
      subjectId: id,
      details: { before: auditedSettings(before), after: null, deliveriesDeleted: deliveries.length },
    });
    return { id, name: before.name, deliveriesDeleted: deliveries.length };
  });
}
