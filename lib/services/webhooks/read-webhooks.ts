import { asc } from "drizzle-orm";
import { database } from "../../db";
import { webhooks } from "../../db/schema";
import { asWebhook } from "../../policy/ability";
import type { Actor } from "../actor";
import { authorize } from "../authorize";
import { toWebhookDto, type WebhookDto } from "./webhook-dto";
import { authorizeViewWebhook, loadWebhook } from "./webhook-access";

/** Every hook the actor may view, by name. */
export async function listWebhooks(actor: Actor): Promise<WebhookDto[]> {
  const { db } = await database();
  const ability = await authorize(db, actor, { action: "view", subjectType: "Webhook" });
  const rows = await db.select().from(webhooks).orderBy(asc(webhooks.name), asc(webhooks.createdAt));
  return rows
    .filter((row) => ability.can("view", asWebhook(row)))
    .map((row) => toWebhookDto(row, ability.can("manage", asWebhook(row))));
}

export async function getWebhook(actor: Actor, id: string): Promise<WebhookDto> {
  const { db } = await database();
  const row = await loadWebhook(db, id);
  const ability = await authorizeViewWebhook(db, actor, row);
  return toWebhookDto(row, ability.can("manage", asWebhook(row)));
}
