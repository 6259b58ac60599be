import { desc, eq } from "drizzle-orm";
import { database } from "../../../db";
import type { Db } from "../../../db/client";
import { runbookProposals, runbookRevisions, runbookVersions, users, type RevisionKind } from "../../../db/schema";
import { notFound } from "../../../errors";
import { asRunbook, type AppAbility } from "../../../policy/ability";
import type { RunbookDefinition } from "../../../runbooks/definition";
import { sideBySide, type DiffRow } from "../../../runbooks/side-by-side";
import { definitionToYaml } from "../../../runbooks/source";
import type { Actor } from "../../actor";
import { authorizeVisible } from "../../authorize";
import { requireRunbook, type RunbookRow } from "./authoring-rules";

export interface RevisionDto {
  number: number;
  versionHash: string;
  kind: RevisionKind;
  author: string;
  message: string;
  createdAt: string;
  restoredFrom: number | null;
  /** For a published proposal: who reviewed and published it. */
  publishedBy: string | null;
  current: boolean;
}

export interface RunbookHistory {
  slug: string;
  title: string;
  source: RunbookRow["source"];
  sourcePath: string | null;
  archived: boolean;
  revisions: RevisionDto[];
}

export interface RevisionComparison {
  slug: string;
  from: RevisionDto & { yaml: string };
  to: RevisionDto & { yaml: string };
  rows: DiffRow[];
  identical: boolean;
}

/** Loads the runbook (archived too) and checks the actor may see it; an invisible one is a 404. */
async function visibleRunbook(db: Db, actor: Actor, slug: string): Promise<{ row: RunbookRow; ability: AppAbility }> {
  const row = await requireRunbook(db, slug);
  const ability = await authorizeVisible(db, actor, { action: "view", subjectType: "Runbook", subject: asRunbook(row), subjectId: slug, label: slug, notFoundMessage: `no runbook "${slug}"` });
  return { row, ability };
}

async function revisionsOf(db: Db, row: RunbookRow): Promise<RevisionDto[]> {
  const rows = await db
    .select({ revision: runbookRevisions, publisher: users.email })
    .from(runbookRevisions)
    .leftJoin(runbookProposals, eq(runbookProposals.id, runbookRevisions.proposalId))
    .leftJoin(users, eq(users.id, runbookProposals.reviewerId))
    .where(eq(runbookRevisions.slug, row.slug))
    .orderBy(desc(runbookRevisions.number));
  const newest = rows[0]?.revision.number;
  return rows.map(({ revision, publisher }) => ({
    number: revision.number,
    versionHash: revision.versionHash,
    kind: revision.kind,
    author: revision.author,
    message: revision.message,
    createdAt: revision.createdAt.toISOString(),
    restoredFrom: revision.restoredFrom,
    publishedBy: publisher ?? null,
    current: revision.number === newest,
  }));
}

/** Every history entry of a runbook, newest first. */
export async function listRevisions(actor: Actor, slug: string): Promise<RunbookHistory> {
  const { db } = await database();
  const { row, ability } = await visibleRunbook(db, actor, slug);
  return {
    slug,
    title: row.title,
    source: row.source,
    // It names the install directory: for those who may edit runbooks like it.
    sourcePath: ability.can("edit", asRunbook(row)) ? row.sourcePath : null,
    archived: row.archivedAt !== null,
    revisions: await revisionsOf(db, row),
  };
}

export async function definitionOf(db: Db, hash: string): Promise<RunbookDefinition> {
  const [version] = await db.select({ definition: runbookVersions.definition }).from(runbookVersions).where(eq(runbookVersions.hash, hash));
  if (!version) throw notFound(`no runbook version ${hash.slice(0, 12)}`);
  return version.definition as RunbookDefinition;
}

/** Two history entries as YAML, and their side-by-side diff. */
export async function compareRevisions(actor: Actor, slug: string, fromNumber: number, toNumber: number): Promise<RevisionComparison> {
  const { db } = await database();
  const { row } = await visibleRunbook(db, actor, slug);
  const all = await revisionsOf(db, row);
  const pick = (number: number) => {
    const revision = all.find((candidate) => candidate.number === number);
    if (!revision) throw notFound(`runbook "${slug}" has no version ${number}`);
    return revision;
  };
  const from = pick(fromNumber);
  const to = pick(toNumber);
  const fromYaml = definitionToYaml(await definitionOf(db, from.versionHash));
  const toYaml = definitionToYaml(await definitionOf(db, to.versionHash));
  return { slug, from: { ...from, yaml: fromYaml }, to: { ...to, yaml: toYaml }, rows: sideBySide(fromYaml, toYaml), identical: from.versionHash === to.versionHash };
}
