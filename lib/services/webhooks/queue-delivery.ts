import { database } from "../../db";
import { WEBHOOK_DELIVERIES_CHANNEL } from "../../notifications/channels";
import { AppError } from "../../errors";
import type { WebhookRow } from "./webhook-dto";

/** Test events and redeliveries go only to active hooks: an inactive one sends nothing. */
export function requireActive(hook: WebhookRow): void {
  if (!hook.active) throw new AppError("conflict", `webhook ${hook.name} is deactivated: activate it first`);
}

/** Wakes the delivery loops after the change committed, so the delivery goes out at once. */
export async function wakeDelivery(deliveryId: number): Promise<void> {
  const handle = await database();
  await handle.notify(WEBHOOK_DELIVERIES_CHANNEL, String(deliveryId));
}
