import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { config } from "../../config/env";
import { invalidatePendingApprovals } from "../../runs/expire-approvals";
import type { RunNotice } from "../../runs/notices";
import { runbookRevisions, runbooks, runbookVersions, type RevisionKind, type RunbookSource } from "../../db/schema";
import type { RunbookDefinition } from "../../runbooks/definition";
import type { AuditActor } from "../../audit/record";
import { reconcileRunbookSchedules } from "../schedules/reconcile-runbook-schedules";

export interface RevisionAuthor {
  /** A user's email, or a system actor such as `file:runbooks/x.yaml` or `cli:root`. */
  label: string;
  userId?: string;
}

export interface NewRevision {
  slug: string;
  definition: RunbookDefinition;
  versionHash: string;
  kind: RevisionKind;
  author: RevisionAuthor;
  message: string;
  restoredFrom?: number;
  proposalId?: string;
  /** The YAML as written, kept with a version seen for the first time. */
  sourceYaml?: string;
}

/** The runbook row's denormalised fields, taken from the definition that becomes current. */
export function runbookRowFields(definition: RunbookDefinition) {
  return {
    title: definition.title,
    description: definition.description,
    owner: definition.owner,
    tags: definition.tags,
    risk: definition.risk,
    environment: definition.environment ?? null,
    view: definition.view ?? false,
  };
}

/**
 * Makes a definition the runbook's current one: stores the immutable content (once), appends the
 * next numbered history entry, and points the runbook at it. Returns the entry's number.
 */
export async function appendRevision(
  tx: Db,
  revision: NewRevision,
  source: { kind: RunbookSource; path: string | null },
  /** Collects the moves of requests this version expires, to publish after commit. */
  notices: RunNotice[],
): Promise<number> {
  await tx
    .insert(runbookVersions)
    .values({ hash: revision.versionHash, slug: revision.slug, definition: revision.definition, sourceYaml: revision.sourceYaml ?? null })
    .onConflictDoNothing();
  const [last] = await tx
    .select({ number: sql<number>`coalesce(max(${runbookRevisions.number}), 0)::int` })
    .from(runbookRevisions)
    .where(eq(runbookRevisions.slug, revision.slug));
  const number = (last?.number ?? 0) + 1;
  await tx.insert(runbookRevisions).values({
    slug: revision.slug,
    number,
    versionHash: revision.versionHash,
    kind: revision.kind,
    author: revision.author.label,
    authorId: revision.author.userId ?? null,
    message: revision.message,
    restoredFrom: revision.restoredFrom ?? null,
    proposalId: revision.proposalId ?? null,
  });
  const fields = {
    ...runbookRowFields(revision.definition),
    currentVersionHash: revision.versionHash,
    source: source.kind,
    sourcePath: source.path,
    archivedAt: null,
    updatedAt: new Date(),
  };
  await tx.insert(runbooks).values({ slug: revision.slug, ...fields }).onConflictDoUpdate({ target: runbooks.slug, set: fields });
  const { userId, label } = revision.author;
  const author: AuditActor = userId ? { type: "user", id: userId, email: label } : { type: "system", id: label };
  await reconcileRunbookSchedules(tx, revision.slug, revision.definition, source.kind, author);
  const expired = await invalidatePendingApprovals(tx, {
    slug: revision.slug,
    cause: "version_changed",
    actor: author,
    publicUrl: config().publicUrl,
  });
  notices.push(...expired);
  return number;
}

export async function currentRevisionNumber(db: Db, slug: string): Promise<number> {
  const [last] = await db
    .select({ number: sql<number>`coalesce(max(${runbookRevisions.number}), 0)::int` })
    .from(runbookRevisions)
    .where(eq(runbookRevisions.slug, slug));
  return last?.number ?? 0;
}

/** Serialises changes to one runbook's history within a transaction, so numbers and checks never race. */
export async function lockRunbookHistory(tx: Db, slug: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`runbook:${slug}`}))`);
}
