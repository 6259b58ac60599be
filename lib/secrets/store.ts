import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { secrets } from "../db/schema";
import type { SecretKeyring } from "./keyring";

const unique = (names: readonly string[]) => [...new Set(names)];

async function storedNames(db: Db, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.select({ name: secrets.name }).from(secrets).where(inArray(secrets.name, unique(names)));
  return new Set(rows.map((row) => row.name));
}

/** The names (deduplicated, in the order given) that the store does not hold. */
export async function missingSecrets(db: Db, names: readonly string[]): Promise<string[]> {
  const stored = await storedNames(db, names);
  return unique(names).filter((name) => !stored.has(name));
}

/**
 * The decrypted values of the named secrets, for a run about to start. Throws naming every missing
 * secret (`secrets not set: a, b`), or the first one that cannot be decrypted.
 */
export async function resolveSecrets(db: Db, names: readonly string[], keyring: SecretKeyring): Promise<Record<string, string>> {
  const wanted = unique(names);
  if (wanted.length === 0) return {};
  const rows = await db
    .select({ name: secrets.name, ciphertext: secrets.ciphertext, keyId: secrets.keyId })
    .from(secrets)
    .where(inArray(secrets.name, wanted));
  const byName = new Map(rows.map((row) => [row.name, row]));
  const missing = wanted.filter((name) => !byName.has(name));
  if (missing.length > 0) throw new Error(`secrets not set: ${missing.join(", ")}`);
  const values: Record<string, string> = {};
  for (const [name, row] of byName) values[name] = keyring.decrypt(name, row);
  return values;
}
