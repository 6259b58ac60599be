import { asc } from "drizzle-orm";
import { database } from "../../db";
import { secrets } from "../../db/schema";
import { asSecret } from "../../policy/ability";
import { configuredKeyring } from "../../secrets/configured-keyring";
import type { SecretKeyring } from "../../secrets/keyring";
import type { Caller } from "../caller";
import { authorizeSecrets, keyStatus, type SecretKeyStatus } from "./secret-fields";
import { secretUsage } from "./secret-usage";

/** What anyone allowed to view secrets sees: never the value or its ciphertext. */
export interface SecretSummary {
  name: string;
  description: string;
  keyId: string;
  key: SecretKeyStatus;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  /** Slugs of the runbooks (that the caller may view) whose environment refers to it. */
  usedBy: string[];
}

export interface SecretList {
  /** Id of HANDRAIL_SECRET_KEY on this server, or null when it is not set. */
  currentKeyId: string | null;
  secrets: SecretSummary[];
  /** Names runbooks refer to that are not set: runs of those runbooks are refused. */
  missing: { name: string; usedBy: string[] }[];
}

export async function listSecrets(caller: Caller, keyring: SecretKeyring = configuredKeyring()): Promise<SecretList> {
  const { db } = await database();
  const ability = await authorizeSecrets(db, caller, { action: "view", subjectType: "Secret" });
  const visible = (name: string) => !ability || ability.can("view", asSecret({ name }));
  const rows = await db
    .select({
      name: secrets.name,
      description: secrets.description,
      keyId: secrets.keyId,
      createdAt: secrets.createdAt,
      updatedAt: secrets.updatedAt,
      updatedBy: secrets.updatedBy,
    })
    .from(secrets)
    .orderBy(asc(secrets.name));
  const usage = await secretUsage(db, ability);
  const summaries = rows.filter((row) => visible(row.name)).map((row) => ({
    ...row,
    key: keyStatus(keyring, row.keyId),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    usedBy: usage.get(row.name) ?? [],
  }));
  const stored = new Set(rows.map((row) => row.name));
  const missing = [...usage.entries()]
    .filter(([name]) => !stored.has(name) && visible(name))
    .map(([name, usedBy]) => ({ name, usedBy }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { currentKeyId: keyring.currentKeyId ?? null, secrets: summaries, missing };
}
