import { and, eq, isNull, notInArray } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { Db } from "../../db/client";
import { policies } from "../../db/schema";
import type { PolicyFileError } from "../../policy/policy-file";
import { readPolicyFile } from "./read-policy-file";
import { savePolicyVersion } from "./save-policy";

export interface PolicySyncReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  archived: string[];
  errors: PolicyFileError[];
}

/**
 * Applies a policies file: each policy becomes a new version when its content changed; policies a
 * previous sync created from a file but which the file no longer has are archived. A file with any
 * error changes nothing.
 */
export async function syncPolicies(db: Db, file: string, actor: AuditActor, reason?: string): Promise<PolicySyncReport> {
  const loaded = readPolicyFile(file);
  const report: PolicySyncReport = { created: [], updated: [], unchanged: [], archived: [], errors: loaded.errors };
  if (loaded.errors.length > 0) return report;
  for (const document of loaded.policies) {
    const [existing] = await db.select({ id: policies.id }).from(policies).where(eq(policies.name, document.name));
    const saved = await savePolicyVersion(db, { document, reason: reason ?? `synced from ${file}`, source: "file" }, actor);
    report[!saved.changed ? "unchanged" : existing ? "updated" : "created"].push(saved.name);
  }
  const names = loaded.policies.map((document) => document.name);
  const gone = await db
    .select({ id: policies.id, name: policies.name })
    .from(policies)
    .where(and(eq(policies.source, "file"), isNull(policies.archivedAt), names.length > 0 ? notInArray(policies.name, names) : undefined));
  for (const policy of gone) {
    await db.transaction(async (tx) => {
      await tx.update(policies).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(policies.id, policy.id));
      await recordAudit(tx, {
        actor,
        action: "policy.archived",
        outcome: "success",
        subjectType: "policy",
        subjectId: policy.name,
        details: { reason: `no longer in ${file}` },
      });
    });
    report.archived.push(policy.name);
  }
  return report;
}
