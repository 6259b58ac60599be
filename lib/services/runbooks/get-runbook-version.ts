import { and, eq } from "drizzle-orm";
import { database } from "../../db";
import { runbooks, runbookVersions } from "../../db/schema";
import { notFound } from "../../errors";
import { asRunbook } from "../../policy/ability";
import type { RunbookDefinition } from "../../runbooks/definition";
import type { Actor } from "../actor";
import { authorizeVisible } from "../authorize";

export interface RunbookVersionDto {
  slug: string;
  hash: string;
  createdAt: string;
  current: boolean;
  definition: RunbookDefinition;
  /** The YAML as its author wrote it, when it was kept (versions saved before it was are shown canonically). */
  sourceYaml: string | null;
}

/** One immutable version of a runbook: exactly what a run that pinned this hash executed. */
export async function getRunbookVersion(actor: Actor, slug: string, hash: string): Promise<RunbookVersionDto> {
  const { db } = await database();
  const [row] = await db
    .select({ version: runbookVersions, runbook: runbooks })
    .from(runbookVersions)
    .innerJoin(runbooks, eq(runbooks.slug, runbookVersions.slug))
    .where(and(eq(runbookVersions.slug, slug), eq(runbookVersions.hash, hash)));
  if (!row) throw notFound(`runbook "${slug}" has no version ${hash.slice(0, 12)}`);
  await authorizeVisible(db, actor, {
    action: "view",
    subjectType: "Runbook",
    subject: asRunbook(row.runbook),
    subjectId: slug,
    label: slug,
    notFoundMessage: `runbook "${slug}" has no version ${hash.slice(0, 12)}`,
  });
  return {
    slug,
    hash,
    createdAt: row.version.createdAt.toISOString(),
    current: row.runbook.currentVersionHash === hash,
    definition: row.version.definition as RunbookDefinition,
    sourceYaml: row.version.sourceYaml,
  };
}
