import { and, asc, desc, eq } from "drizzle-orm";
import { database } from "../../db";
import { policies, policyVersions } from "../../db/schema";
import { notFound } from "../../errors";
import { policyDocumentSchema, type PolicyDocument } from "../../policy/document";
import type { Actor } from "../actor";
import { authorize } from "../authorize";

export interface PolicySummary {
  name: string;
  description: string;
  source: "builtin" | "ui" | "file";
  version: number;
  updatedAt: string;
  archived: boolean;
  attach: PolicyDocument["attach"];
  ruleCount: number;
}

export interface PolicyDetail extends PolicySummary {
  /** The document at the version asked for (the current one by default). */
  shownVersion: number;
  document: PolicyDocument;
  versions: Array<{ version: number; author: string; reason: string; createdAt: string }>;
}

export async function listPolicies(actor: Actor): Promise<PolicySummary[]> {
  const { db } = await database();
  await authorize(db, actor, { action: "view", subjectType: "Policy" });
  const rows = await db
    .select({ policy: policies, document: policyVersions.document })
    .from(policies)
    .innerJoin(policyVersions, and(eq(policyVersions.policyId, policies.id), eq(policyVersions.version, policies.currentVersion)))
    .orderBy(asc(policies.name));
  return rows.map(({ policy, document }) => {
    const parsed = policyDocumentSchema.parse(document);
    return {
      name: policy.name,
      description: parsed.description,
      source: policy.source,
      version: policy.currentVersion,
      updatedAt: policy.updatedAt.toISOString(),
      archived: policy.archivedAt !== null,
      attach: parsed.attach,
      ruleCount: parsed.rules.length,
    };
  });
}

export async function getPolicy(actor: Actor, name: string, version?: number): Promise<PolicyDetail> {
  const { db } = await database();
  await authorize(db, actor, { action: "view", subjectType: "Policy", label: name });
  const [policy] = await db.select().from(policies).where(eq(policies.name, name));
  if (!policy) throw notFound(`no policy "${name}"`);
  const versions = await db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id)).orderBy(desc(policyVersions.version));
  const shown = versions.find((entry) => entry.version === (version ?? policy.currentVersion));
  if (!shown) throw notFound(`policy "${name}" has no version ${version}`);
  const document = policyDocumentSchema.parse(shown.document);
  return {
    name: policy.name,
    description: document.description,
    source: policy.source,
    version: policy.currentVersion,
    updatedAt: policy.updatedAt.toISOString(),
    archived: policy.archivedAt !== null,
    attach: document.attach,
    ruleCount: document.rules.length,
    shownVersion: shown.version,
    document,
    versions: versions.map((entry) => ({ version: entry.version, author: entry.author, reason: entry.reason, createdAt: entry.createdAt.toISOString() })),
  };
}
