import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { database } from "../../db";
import { webhooks } from "../../db/schema";
import { generateWebhookSecret, sealWebhookSecret } from "../../notifications/webhook-secret";
import { configuredKeyring } from "../../secrets/configured-keyring";
import type { SecretKeyring } from "../../secrets/keyring";
import { auditActorOf, type Actor } from "../actor";
import { assertOwnerUnchanged, authorizeManageWebhook, loadWebhook, requireSealingKey } from "./webhook-access";

export interface RotatedWebhookSecret {
  id: string;
  /** The new signing secret, returned this once. Deliveries from now on are signed with it. */
  secret: string;
  secretKeyId: string;
}

/** Replaces a hook's signing secret at once (the old one stops working); the new one is shown once. */
export async function rotateWebhookSecret(actor: Actor, id: string, keyring: SecretKeyring = configuredKeyring()): Promise<RotatedWebhookSecret> {
  const { db } = await database();
  const hook = await loadWebhook(db, id);
  await authorizeManageWebhook(db, actor, hook);
  if (hook.format === "slack") {
    throw new AppError("conflict", `webhook ${hook.name} posts Slack messages, which are not signed: change its format to json to sign its deliveries, then rotate to get the secret`);
  }
  requireSealingKey(keyring);
  const secret = generateWebhookSecret();
  const sealed = sealWebhookSecret(keyring, id, secret);
  return db.transaction(async (tx) => {
    const before = await loadWebhook(tx, id, true);
    assertOwnerUnchanged(before, hook);
    await tx.update(webhooks).set({ secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId, updatedAt: new Date() }).where(eq(webhooks.id, id));
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "webhook.secret_rotated",
      outcome: "success",
      subjectType: "webhook",
      subjectId: id,
      details: { name: before.name, owner: before.owner, before: { secretKeyId: before.secretKeyId }, after: { secretKeyId: sealed.keyId } },
    });
    return { id, secret, secretKeyId: sealed.keyId };
  });
}
