import type { Db } from "../../db/client";
import { policies } from "../../db/schema";
import { defaultPolicyDocuments } from "../../policy/default-policies";
import { savePolicyVersion } from "./save-policy";

/**
 * Installs the shipped defaults on a database with no policies, and keeps shipped policies that
 * nobody has edited in step with new releases (a new version, audited like any other). A default
 * someone edited, archived or replaced from a file is theirs and is left alone.
 */
export async function seedDefaultPolicies(db: Db): Promise<string[]> {
  const existing = await db.select({ name: policies.name, source: policies.source, archivedAt: policies.archivedAt }).from(policies);
  const fresh = existing.length === 0;
  const byName = new Map(existing.map((policy) => [policy.name, policy]));
  const written: string[] = [];
  for (const document of defaultPolicyDocuments) {
    const current = byName.get(document.name);
    if (!fresh && (!current || current.source !== "builtin" || current.archivedAt !== null)) continue;
    const saved = await savePolicyVersion(
      db,
      { document, reason: fresh ? "shipped default policy" : "shipped default policy updated by a Handrail upgrade", source: "builtin" },
      { type: "system", id: "default-policies" },
    );
    if (saved.changed) written.push(document.name);
  }
  return written;
}
