import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { policies, policyVersions } from "../../db/schema";
import { policyDocumentSchema, type ActivePolicy } from "../../policy/document";

/** Every policy in force, at its current version. */
export async function loadActivePolicies(db: Db): Promise<ActivePolicy[]> {
  const rows = await db
    .select({ name: policies.name, version: policies.currentVersion, document: policyVersions.document })
    .from(policies)
    .innerJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.version, policies.currentVersion)))
    .where(isNull(policies.archivedAt))
    .orderBy(policies.name);
  return rows.map((row) => ({ name: row.name, version: row.version, document: policyDocumentSchema.parse(row.document) }));
}
