import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { policies } from "../../db/schema";
import { defaultPolicyDocuments } from "../../policy/default-policies";
import { savePolicyVersion } from "./save-policy";

/** On a database with no policies at all, installs the shipped defaults so nobody's access changes. */
export async function seedDefaultPolicies(db: Db): Promise<string[]> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(policies);
  if ((count?.n ?? 0) > 0) return [];
  for (const document of defaultPolicyDocuments) {
    await savePolicyVersion(db, { document, reason: "shipped default policy", source: "builtin" }, { type: "system", id: "default-policies" });
  }
  return defaultPolicyDocuments.map((document) => document.name);
}
