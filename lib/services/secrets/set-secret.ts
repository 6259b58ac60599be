import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { secrets } from "../../db/schema";
import { asSecret } from "../../policy/ability";
import { configuredKeyring } from "../../secrets/configured-keyring";
import type { SealedSecret, SecretKeyring } from "../../secrets/keyring";
import { auditActorOfCaller, type Caller } from "../caller";
import { parseInput } from "../fields";
import { authorizeSecrets, changedBy, keyringFailure, secretDescriptionField, secretNameField, secretValueField } from "./secret-fields";

export const setSecretInput = z.object({
  name: secretNameField,
  value: secretValueField,
  /** Omitted: a new secret gets none and a replaced one keeps its own. */
  description: secretDescriptionField.optional(),
});
export type SetSecretInput = z.input<typeof setSecretInput>;

export interface SetSecretResult {
  name: string;
  description: string;
  keyId: string;
  created: boolean;
}

/** Creates a secret or replaces its value. The value is write-only: it is never returned or audited. */
export async function setSecret(caller: Caller, input: SetSecretInput, keyring: SecretKeyring = configuredKeyring()): Promise<SetSecretResult> {
  const { db } = await database();
  await authorizeSecrets(db, caller, { action: "manage", subjectType: "Secret", label: String(input?.name ?? "") });
  const { name, value, description } = parseInput(setSecretInput, input);
  await authorizeSecrets(db, caller, { action: "manage", subjectType: "Secret", subject: asSecret({ name }), subjectId: name, label: name });
  let sealed: SealedSecret;
  try {
    sealed = keyring.encrypt(name, value);
  } catch (error) {
    throw keyringFailure(error);
  }
  const updatedBy = changedBy(caller);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(secrets).where(eq(secrets.name, name)).for("update");
    const after = { description: description ?? before?.description ?? "", keyId: sealed.keyId };
    await tx
      .insert(secrets)
      .values({ name, ...after, ciphertext: sealed.ciphertext, updatedBy })
      .onConflictDoUpdate({ target: secrets.name, set: { ...after, ciphertext: sealed.ciphertext, updatedAt: new Date(), updatedBy } });
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "secret.set",
      outcome: "success",
      subjectType: "secret",
      subjectId: name,
      details: {
        name,
        created: !before,
        before: before ? { description: before.description, keyId: before.keyId, updatedAt: before.updatedAt.toISOString(), updatedBy: before.updatedBy } : null,
        after,
      },
    });
    return { name, ...after, created: !before };
  });
}
