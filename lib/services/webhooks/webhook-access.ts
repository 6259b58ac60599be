import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { webhooks } from "../../db/schema";
import { config } from "../../config/env";
import { AppError, invalidInput, notFound } from "../../errors";
import { urlRefusal } from "../../notifications/webhook-address";
import { asWebhook, type AppAbility } from "../../policy/ability";
import type { SecretKeyring } from "../../secrets/keyring";
import type { Actor } from "../actor";
import { authorizeLoaded, type LoadedThing } from "../authorize";
import type { WebhookRow } from "./webhook-dto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The hook with this id; a malformed id is simply not found. */
export async function loadWebhook(db: Db, id: string, lock = false): Promise<WebhookRow> {
  if (!UUID.test(id)) throw notFound(`no webhook ${id}`);
  const query = db.select().from(webhooks).where(eq(webhooks.id, id));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound(`no webhook ${id}`);
  return row;
}

/** A hook as the policy checks name it. */
function webhookThing(hook: WebhookRow): LoadedThing {
  return { subjectType: "Webhook", subject: asWebhook(hook), subjectId: hook.id, label: hook.name, notFoundMessage: `no webhook ${hook.id}` };
}

/** Reading one hook: a hook the actor may not view answers 404, like one that does not exist. */
export function authorizeViewWebhook(db: Db, actor: Actor, hook: WebhookRow, ability?: AppAbility): Promise<AppAbility> {
  return authorizeLoaded(db, actor, webhookThing(hook), undefined, ability);
}

/** Changing a hook: visible first (404), then `manage` on a Webhook with the hook's owner (403). */
export function authorizeManageWebhook(db: Db, actor: Actor, hook: WebhookRow): Promise<AppAbility> {
  return authorizeLoaded(db, actor, webhookThing(hook), "manage");
}

/** Signing secrets are sealed with the secret-store key: without one, a hook cannot be given a secret. */
export function requireSealingKey(keyring: SecretKeyring): void {
  if (!keyring.currentKeyId) {
    throw new AppError(
      "conflict",
      "HANDRAIL_SECRET_KEY must be set to create webhooks or rotate their secrets: signing secrets are encrypted with it (generate one with: openssl rand -base64 32)",
    );
  }
}

/** Inside the change's transaction: the hook still has the owner the actor was authorised for. */
export function assertOwnerUnchanged(locked: WebhookRow, authorized: WebhookRow): void {
  if (locked.owner !== authorized.owner) {
    throw new AppError("conflict", `webhook ${authorized.name} was moved to another owner meanwhile: reload and try again`);
  }
}

/**
 * A hook may only point at a public address unless HANDRAIL_WEBHOOK_ALLOW_NETWORKS opens the
 * network: checked here on what the host resolves to now, and again by every delivery on the
 * address it connects to.
 */
export async function assertWebhookTargetAllowed(url: string): Promise<void> {
  const refusal = await urlRefusal(url, config().webhookNetworks);
  if (refusal) throw invalidInput("url", `url is not allowed: ${refusal}`);
}
