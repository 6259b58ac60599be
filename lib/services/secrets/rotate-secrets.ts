import { asc, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { secrets, webhooks } from "../../db/schema";
import { openWebhookSecret, sealWebhookSecret } from "../../notifications/webhook-secret";
import { asSecret, asWebhook } from "../../policy/ability";
import { configuredKeyring } from "../../secrets/configured-keyring";
import type { SealedSecret, SecretKeyring } from "../../secrets/keyring";
import { auditActorOfCaller, type Caller } from "../caller";
import { authorizeSecrets, keyringFailure } from "./secret-fields";

export interface RotationReport {
  keyId: string;
  /** Secrets re-encrypted under the current key, with the key that had sealed each. */
  rotated: { name: string; from: string }[];
  /** Secrets already sealed with the current key. */
  unchanged: number;
  /** Webhook signing secrets, sealed with the same key: re-sealed alike. */
  webhooks: { rotated: { id: string; name: string; from: string }[]; unchanged: number };
}

/** Re-seals every webhook signing secret not yet under the current key; throws (rolling back) if one cannot be opened. */
async function rotateWebhookSecrets(tx: Db, keyring: SecretKeyring, keyId: string): Promise<RotationReport["webhooks"]> {
  const rows = await tx
    .select({ id: webhooks.id, name: webhooks.name, ciphertext: webhooks.secretCiphertext, keyId: webhooks.secretKeyId })
    .from(webhooks)
    .orderBy(asc(webhooks.name), asc(webhooks.id))
    .for("update");
  const rotated: RotationReport["webhooks"]["rotated"] = [];
  for (const row of rows.filter((candidate) => candidate.keyId !== keyId)) {
    let sealed: SealedSecret;
    try {
      sealed = sealWebhookSecret(keyring, row.id, openWebhookSecret(keyring, row.id, row));
    } catch (error) {
      throw keyringFailure(error);
    }
    await tx.update(webhooks).set({ secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId }).where(eq(webhooks.id, row.id));
    rotated.push({ id: row.id, name: row.name, from: row.keyId });
  }
  return { rotated, unchanged: rows.length - rotated.length };
}

/**
 * Re-encrypts every secret, and every webhook signing secret, not yet sealed with
 * HANDRAIL_SECRET_KEY, in one transaction: if any cannot be opened with the configured keys,
 * nothing changes. Values and updatedAt stay as they were. Running it again changes nothing.
 */
export async function rotateSecrets(caller: Caller, keyring: SecretKeyring = configuredKeyring()): Promise<RotationReport> {
  const { db } = await database();
  const ability = await authorizeSecrets(db, caller, { action: "manage", subjectType: "Secret" });
  const keyId = keyring.currentKeyId;
  if (!keyId) throw keyringFailure(new Error("HANDRAIL_SECRET_KEY must be set to rotate the secret store to it"));
  const names = (await db.select({ name: secrets.name }).from(secrets).orderBy(asc(secrets.name))).map((row) => row.name);
  // Rotation touches every row, so the caller must be allowed to manage every one of them.
  for (const name of names) {
    await authorizeSecrets(db, caller, { action: "manage", subjectType: "Secret", subject: asSecret({ name }), subjectId: name, label: name, ...(ability ? { ability } : {}) });
  }
  for (const hook of await db.select({ id: webhooks.id, name: webhooks.name, owner: webhooks.owner }).from(webhooks)) {
    await authorizeSecrets(db, caller, { action: "manage", subjectType: "Webhook", subject: asWebhook(hook), subjectId: hook.id, label: hook.name, ...(ability ? { ability } : {}) });
  }
  return db.transaction(async (tx) => {
    const rows = names.length === 0 ? [] : await tx.select().from(secrets).where(inArray(secrets.name, names)).orderBy(asc(secrets.name)).for("update");
    const rotated: RotationReport["rotated"] = [];
    for (const row of rows.filter((candidate) => candidate.keyId !== keyId)) {
      let sealed: SealedSecret;
      try {
        sealed = keyring.encrypt(row.name, keyring.decrypt(row.name, row));
      } catch (error) {
        throw keyringFailure(error);
      }
      await tx.update(secrets).set(sealed).where(eq(secrets.name, row.name));
      rotated.push({ name: row.name, from: row.keyId });
    }
    const report = { keyId, rotated, unchanged: rows.length - rotated.length, webhooks: await rotateWebhookSecrets(tx, keyring, keyId) };
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "secret.rotated",
      outcome: "success",
      subjectType: "secret",
      details: report,
    });
    return report;
  });
}
