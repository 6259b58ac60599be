import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { secrets } from "../../db/schema";
import { notFound } from "../../errors";
import { asSecret } from "../../policy/ability";
import { auditActorOfCaller, type Caller } from "../caller";
import { parseInput } from "../fields";
import { authorizeSecrets, secretNameField } from "./secret-fields";
import { secretUsage } from "./secret-usage";

export const deleteSecretInput = z.object({ name: secretNameField });
export type DeleteSecretInput = z.input<typeof deleteSecretInput>;

/**
 * Deletes a secret. Runbooks that still refer to it are reported (and audited) but not blocked:
 * their runs are refused until the secret is set again.
 */
export async function deleteSecret(caller: Caller, input: DeleteSecretInput): Promise<{ name: string; usedBy: string[] }> {
  const { db } = await database();
  await authorizeSecrets(db, caller, { action: "manage", subjectType: "Secret", label: String(input?.name ?? "") });
  const { name } = parseInput(deleteSecretInput, input);
  await authorizeSecrets(db, caller, { action: "manage", subjectType: "Secret", subject: asSecret({ name }), subjectId: name, label: name });
  return db.transaction(async (tx) => {
    const [deleted] = await tx.delete(secrets).where(eq(secrets.name, name)).returning({ description: secrets.description, keyId: secrets.keyId });
    if (!deleted) throw notFound(`no secret named ${name}`);
    const usedBy = (await secretUsage(tx)).get(name) ?? [];
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "secret.deleted",
      outcome: "success",
      subjectType: "secret",
      subjectId: name,
      details: { name, usedBy, before: { description: deleted.description, keyId: deleted.keyId }, after: null },
    });
    return { name, usedBy };
  });
}
