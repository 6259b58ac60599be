import { and, desc, eq, lt } from "drizzle-orm";
import { database } from "../../db";
import { webhookDeliveries } from "../../db/schema";
import type { Actor } from "../actor";
import { parseInput } from "../fields";
import { toDeliveryDto, type DeliveryDto } from "./webhook-dto";
import { authorizeViewWebhook, loadWebhook } from "./webhook-access";
import { listDeliveriesQuery, type ListDeliveriesQuery } from "./webhook-fields";

export interface DeliveryPage {
  deliveries: DeliveryDto[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** A hook's delivery log, newest first, a page at a time. Payloads are not included: they are the run's business. */
export async function listDeliveries(actor: Actor, webhookId: string, query: ListDeliveriesQuery = {}): Promise<DeliveryPage> {
  const { db } = await database();
  const hook = await loadWebhook(db, webhookId);
  await authorizeViewWebhook(db, actor, hook);
  const { status, limit, before } = parseInput(listDeliveriesQuery, query);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, hook.id),
        status ? eq(webhookDeliveries.status, status) : undefined,
        before ? lt(webhookDeliveries.id, before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { deliveries: page.map(toDeliveryDto), nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
