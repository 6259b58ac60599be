import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { webhookDeliveries } from "../../db/schema";
import { config } from "../../config/env";
import { WEBHOOK_TEST_EVENT, webhookTestPayload } from "../../notifications/test-event";
import { auditActorOf, type Actor } from "../actor";
import { toDeliveryDto, type DeliveryDto } from "./webhook-dto";
import { authorizeManageWebhook, loadWebhook } from "./webhook-access";
import { requireActive, wakeDelivery } from "./queue-delivery";

/** Queues a `webhook.test` delivery, signed and formatted like any other; its result appears in the delivery log. */
export async function sendTestEvent(actor: Actor, webhookId: string, publicUrl: string = config().publicUrl): Promise<DeliveryDto> {
  const { db } = await database();
  const hook = await loadWebhook(db, webhookId);
  await authorizeManageWebhook(db, actor, hook);
  requireActive(hook);
  const payload = webhookTestPayload({ id: hook.id, name: hook.name }, publicUrl, actor.user.email);
  const delivery = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ webhookId: hook.id, event: WEBHOOK_TEST_EVENT, runId: null, payload: payload as unknown as Record<string, unknown> })
      .returning();
    if (!row) throw new Error("delivery insert returned nothing");
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "webhook.tested",
      outcome: "success",
      subjectType: "webhook",
      subjectId: hook.id,
      details: { name: hook.name, deliveryId: row.id },
    });
    return row;
  });
  await wakeDelivery(delivery.id);
  return toDeliveryDto(delivery);
}
