import { and, eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { Db } from "../../db/client";
import { policies, policyVersions } from "../../db/schema";
import { invalidInput } from "../../errors";
import { canonicalJson } from "../../hashing";
import { policyDocumentSchema, type PolicyDocument, type PolicyDocumentInput } from "../../policy/document";

export interface SavedPolicy {
  name: string;
  version: number;
  changed: boolean;
}

/** Turns a policy validation failure into a 400 naming the rule and field. */
export function parsePolicyDocument(input: unknown): PolicyDocument {
  const parsed = policyDocumentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join(".") || "document";
  const where = field.replace(/^rules\.(\d+)/, (_match, index: string) => `rule ${Number(index) + 1}`);
  throw invalidInput(field, `${where}: ${issue?.message ?? "is invalid"}`);
}

/**
 * Writes a new immutable version when the content changed (author, time, reason), recorded in the
 * audit log with the versions before and after. Authorisation is the caller's: the UI service
 * checks `manage Policy`, the CLI runs with shell access to the server.
 */
export async function savePolicyVersion(
  db: Db,
  input: { document: PolicyDocumentInput; reason: string; source: "builtin" | "ui" | "file" },
  author: AuditActor,
): Promise<SavedPolicy> {
  const document = parsePolicyDocument(input.document);
  const reason = input.reason.trim();
  if (!reason) throw invalidInput("reason", "say why the policy changes (reason is required)");
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(policies).where(eq(policies.name, document.name));
    const [current] = existing
      ? await tx
          .select({ document: policyVersions.document })
          .from(policyVersions)
          .where(and(eq(policyVersions.policyId, existing.id), eq(policyVersions.version, existing.currentVersion)))
      : [];
    const currentDocument = current?.document;
    if (existing && existing.archivedAt === null && canonicalJson(currentDocument) === canonicalJson(document)) {
      return { name: document.name, version: existing.currentVersion, changed: false };
    }
    const version = existing ? existing.currentVersion + 1 : 1;
    const policyId = existing
      ? existing.id
      : (await tx.insert(policies).values({ name: document.name, source: input.source, currentVersion: 1 }).returning({ id: policies.id }))[0]?.id;
    if (!policyId) throw new Error("policy insert returned nothing");
    await tx.insert(policyVersions).values({ policyId, version, document, author: author.email ?? author.id ?? author.type, reason });
    if (existing) {
      await tx
        .update(policies)
        .set({ currentVersion: version, source: input.source, archivedAt: null, updatedAt: new Date() })
        .where(eq(policies.id, existing.id));
    }
    await recordAudit(tx, {
      actor: author,
      action: existing ? "policy.updated" : "policy.created",
      outcome: "success",
      subjectType: "policy",
      subjectId: document.name,
      details: {
        reason,
        source: input.source,
        ...(existing ? { before: { version: existing.currentVersion, document: currentDocument } } : {}),
        after: { version, document },
      },
    });
    return { name: document.name, version, changed: true };
  });
}
