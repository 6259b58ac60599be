import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runbooks, runbookVersions } from "../../db/schema";
import type { AppAbility } from "../../policy/ability";
import { referencedSecrets, type RunbookDefinition } from "../../runbooks/definition";
import { visibleRunbooks } from "../access/visible";

/**
 * Secret name → slugs of the current (unarchived) runbooks whose `env` refers to it. With an
 * ability, only runbooks it may view are counted, so a list never reveals a hidden runbook's slug.
 */
export async function secretUsage(db: Db, ability?: AppAbility): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ slug: runbooks.slug, env: sql<RunbookDefinition["env"] | null>`${runbookVersions.definition}->'env'` })
    .from(runbooks)
    .innerJoin(runbookVersions, eq(runbookVersions.hash, runbooks.currentVersionHash))
    .where(and(isNull(runbooks.archivedAt), ability ? visibleRunbooks(ability) : undefined))
    .orderBy(runbooks.slug);
  const usage = new Map<string, string[]>();
  for (const row of rows) {
    for (const name of new Set(referencedSecrets({ env: row.env ?? undefined }))) usage.set(name, [...(usage.get(name) ?? []), row.slug]);
  }
  return usage;
}
