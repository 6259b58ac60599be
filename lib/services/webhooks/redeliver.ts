import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { webhookDeliveries } from "../../db/schema";
import { AppError, notFound } from "../../errors";
import { auditActorOf, type Actor } from "../actor";
import { toDeliveryDto, type DeliveryDto } from "./webhook-dto";
import { authorizeManageWebhook, loadWebhook } from "./webhook-access";
import { requireActive, wakeDelivery } from "./queue-delivery";

/**
 * Sends a delivered or failed delivery again: it becomes pending with a fresh set of attempts. A
 * pending one is refused (it is already on its way, perhaps being sent right now).
 */
export async function redeliver(actor: Actor, webhookId: string, deliveryId: number): Promise<DeliveryDto> {
  const { db } = await database();
  const hook = await loadWebhook(db, webhookId);
  await authorizeManageWebhook(db, actor, hook);
  requireActive(hook);
  const delivery = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, hook.id)))
      .for("update");
    if (!before) throw notFound(`no delivery ${deliveryId} of webhook ${hook.name}`);
    if (before.status === "pending") throw new AppError("conflict", `delivery ${deliveryId} is already pending: it will be sent at ${before.nextAttemptAt.toISOString()}`);
    const [after] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, responseStatus: null, lastError: null, deliveredAt: null })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning();
    if (!after) throw new Error("delivery update returned nothing");
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "webhook.redelivered",
      outcome: "success",
      subjectType: "webhook",
      subjectId: hook.id,
      details: {
        name: hook.name,
        deliveryId,
        event: before.event,
        runId: before.runId,
        before: { status: before.status, attempts: before.attempts, responseStatus: before.responseStatus },
      },
    });
    return after;
  });
  await wakeDelivery(delivery.id);
  return toDeliveryDto(delivery);
}
