import { randomUUID } from "node:crypto";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { webhooks } from "../../db/schema";
import { generateWebhookSecret, sealWebhookSecret } from "../../notifications/webhook-secret";
import { asWebhook } from "../../policy/ability";
import { configuredKeyring } from "../../secrets/configured-keyring";
import type { SecretKeyring } from "../../secrets/keyring";
import { auditActorOf, type Actor } from "../actor";
import { authorize } from "../authorize";
import { parseInput } from "../fields";
import { auditedSettings, toWebhookDto, type WebhookDto } from "./webhook-dto";
import { assertWebhookTargetAllowed, requireSealingKey } from "./webhook-access";
import { createWebhookInput, type CreateWebhookInput } from "./webhook-fields";

export interface CreatedWebhook {
  webhook: WebhookDto;
  /** The signing secret, returned this once (only its ciphertext is stored); null for a Slack hook, which is not signed. */
  secret: string | null;
}

/** Creates a hook with a fresh signing secret. Only someone who may manage hooks of the chosen owner can. */
export async function createWebhook(actor: Actor, input: CreateWebhookInput, keyring: SecretKeyring = configuredKeyring()): Promise<CreatedWebhook> {
  const { db } = await database();
  const label = typeof input?.name === "string" ? input.name : undefined;
  // Someone who may manage no hook at all is refused before their input is looked at.
  const ability = await authorize(db, actor, { action: "manage", subjectType: "Webhook", ...(label ? { label } : {}) });
  const settings = parseInput(createWebhookInput, input);
  await authorize(db, actor, { action: "manage", subjectType: "Webhook", subject: asWebhook(settings), label: settings.name, ability, details: { owner: settings.owner } });
  requireSealingKey(keyring);
  await assertWebhookTargetAllowed(settings.url);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const sealed = sealWebhookSecret(keyring, id, secret);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhooks)
      .values({ id, ...settings, secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId, createdBy: actor.user.email })
      .returning();
    if (!row) throw new Error("webhook insert returned nothing");
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "webhook.created",
      outcome: "success",
      subjectType: "webhook",
      subjectId: id,
      details: { ...auditedSettings(row), secretKeyId: sealed.keyId },
    });
    // A Slack hook keeps a sealed secret for the day its format becomes json (rotate then to see one), but is sent unsigned.
    return { webhook: toWebhookDto(row, true), secret: row.format === "slack" ? null : secret };
  });
}
