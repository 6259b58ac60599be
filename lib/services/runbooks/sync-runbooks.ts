import { and, eq, isNull, ne, notInArray } from "drizzle-orm";
import { transactionWithNotices } from "../../runs/notices";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { DatabaseHandle } from "../../db/client";
import { runbookProposals, runbooks } from "../../db/schema";
import { appendRevision, lockRunbookHistory } from "./revisions";
import { loadRunbooksDir, type LoadedRunbook, type RunbookLoadError } from "../../runbooks/load";
import { invalidatePendingApprovals } from "../../runs/expire-approvals";
import { config } from "../../config/env";
import type { Db } from "../../db/client";
import { looseningsOf } from "./authoring/hold-loosening";
import { openProposal } from "./proposals/open-proposal";

/** A file whose change loosens a safety net: not applied, waiting as a proposal another editor publishes. */
export interface HeldFileChange {
  slug: string;
  proposal: { id: string };
  loosens: string[];
}

export interface SyncReport {
  added: string[];
  changed: string[];
  unchanged: string[];
  removed: string[];
  pendingReview: HeldFileChange[];
  errors: RunbookLoadError[];
}

/**
 * A file change that loosens a safety net becomes an open proposal (once per content: a later sync
 * of the same file finds it; newer content replaces it), recorded as drafted by the file. Returns
 * undefined when the change loosens nothing.
 */
async function holdFileChange(tx: Db, loaded: LoadedRunbook, currentVersionHash: string, actor: AuditActor, syncedBy: SyncedBy | undefined): Promise<HeldFileChange | undefined> {
  const { definition, hash, sourcePath } = loaded;
  const loosens = await looseningsOf(tx, currentVersionHash, definition);
  if (loosens.length === 0) return undefined;
  const fromThisFile = and(eq(runbookProposals.slug, definition.slug), eq(runbookProposals.status, "open"), eq(runbookProposals.authorLabel, fileLabel(sourcePath)));
  const open = await tx
    .select({ id: runbookProposals.id, versionHash: runbookProposals.versionHash })
    .from(runbookProposals)
    .where(fromThisFile);
  const same = open.find((proposal) => proposal.versionHash === hash);
  if (same) return { slug: definition.slug, proposal: { id: same.id }, loosens };
  // The file moved on: what an earlier sync proposed is no longer what the file says.
  await tx
    .update(runbookProposals)
    .set({ status: "withdrawn", reviewComment: "superseded: the file changed again", reviewedAt: new Date() })
    .where(and(fromThisFile, ne(runbookProposals.versionHash, hash)));
  const syncer = actor.email ?? actor.id ?? actor.type;
  const proposal = {
    slug: definition.slug,
    baseVersionHash: currentVersionHash,
    definition,
    versionHash: hash,
    message: `file changed (synced by ${syncer}); it loosens: ${loosens.join("; ")}`,
    authorId: syncedBy?.userId ?? null,
    authorLabel: fileLabel(sourcePath),
  };
  const details = { kind: "change", via: "sync", source: sourcePath, loosens, base: currentVersionHash, superseded: open.map((earlier) => earlier.id) };
  const id = await openProposal(tx, proposal, actor, details);
  return { slug: definition.slug, proposal: { id }, loosens };
}

/** A Handrail user who ran the sync (`handrail runbooks sync --as`): the author of what it holds for review. */
export interface SyncedBy {
  userId: string;
}

function fileLabel(sourcePath: string): string {
  return `file ${sourcePath}`;
}

async function upsertRunbook(handle: DatabaseHandle, loaded: LoadedRunbook, actor: AuditActor, syncedBy: SyncedBy | undefined): Promise<"added" | "changed" | "unchanged" | HeldFileChange | RunbookLoadError> {
  const { definition, hash, sourcePath } = loaded;
  return transactionWithNotices(handle, async (tx, notices) => {
    const [existing] = await tx.select().from(runbooks).where(eq(runbooks.slug, definition.slug));
    if (existing && existing.source !== "file") {
      return {
        file: sourcePath,
        field: "slug",
        message: `"${definition.slug}" is a runbook authored in Handrail, not a file; rename this file's slug, or export the runbook with \`handrail runbooks export\` and archive it in Handrail first`,
      };
    }
    if (existing && existing.currentVersionHash === hash && existing.archivedAt === null) return "unchanged";
    // Also for a file that comes back after its runbook was archived: removing a file and adding a
    // looser one must not get around the review.
    if (existing) {
      await lockRunbookHistory(tx, definition.slug);
      const held = await holdFileChange(tx, loaded, existing.currentVersionHash, actor, syncedBy);
      if (held) return held;
    }
    await appendRevision(
      tx,
      {
        slug: definition.slug,
        definition,
        versionHash: hash,
        kind: "synced",
        sourceYaml: loaded.sourceYaml,
        author: { label: `file:${sourcePath}` },
        message: existing ? `file changed (synced by ${actor.email ?? actor.id ?? actor.type})` : `file added (synced by ${actor.email ?? actor.id ?? actor.type})`,
      },
      { kind: "file", path: sourcePath },
      notices,
    );
    const outcome = existing ? "changed" : "added";
    await recordAudit(tx, {
      actor,
      action: existing ? "runbook.updated" : "runbook.created",
      outcome: "success",
      subjectType: "runbook",
      subjectId: definition.slug,
      versionHash: hash,
      details: { source: sourcePath, ...(existing ? { before: { version: existing.currentVersionHash }, after: { version: hash } } : {}) },
    });
    return outcome;
  });
}

/** Brings the database in line with the runbook files: new versions for changed content, removed files archived. */
export async function syncRunbooks(handle: DatabaseHandle, dir: string, actor: AuditActor, syncedBy?: SyncedBy): Promise<SyncReport> {
  const loaded = loadRunbooksDir(dir);
  const report: SyncReport = { added: [], changed: [], unchanged: [], removed: [], pendingReview: [], errors: loaded.errors };
  for (const runbook of loaded.runbooks) {
    const outcome = await upsertRunbook(handle, runbook, actor, syncedBy);
    if (typeof outcome === "string") report[outcome].push(runbook.definition.slug);
    else if ("loosens" in outcome) report.pendingReview.push(outcome);
    else report.errors.push(outcome);
  }
  const present = loaded.runbooks.map((runbook) => runbook.definition.slug);
  const invalidFiles = new Set(loaded.errors.map((error) => error.file));
  const gone = await handle.db
    .select({ slug: runbooks.slug, sourcePath: runbooks.sourcePath })
    .from(runbooks)
    .where(and(eq(runbooks.source, "file"), isNull(runbooks.archivedAt), present.length > 0 ? notInArray(runbooks.slug, present) : undefined));
  for (const runbook of gone) {
    // A file that is present but invalid keeps its last good version rather than vanishing.
    if (runbook.sourcePath && invalidFiles.has(runbook.sourcePath)) continue;
    await transactionWithNotices(handle, async (tx, notices) => {
      await tx.update(runbooks).set({ archivedAt: new Date() }).where(eq(runbooks.slug, runbook.slug));
      await recordAudit(tx, {
        actor,
        action: "runbook.archived",
        outcome: "success",
        subjectType: "runbook",
        subjectId: runbook.slug,
        details: { reason: "definition file removed", source: runbook.sourcePath },
      });
      // As when a runbook is archived in Handrail: nothing may wait for approval to run it.
      notices.push(...(await invalidatePendingApprovals(tx, { slug: runbook.slug, cause: "archived", actor, publicUrl: config().publicUrl })));
    });
    report.removed.push(runbook.slug);
  }
  return report;
}

export function formatSyncReport(report: SyncReport): string[] {
  const lines = [
    `runbooks: ${report.added.length} added, ${report.changed.length} changed, ${report.unchanged.length} unchanged, ${report.removed.length} removed, ${report.pendingReview.length} pending review`,
  ];
  for (const [label, slugs] of [["added", report.added], ["changed", report.changed], ["removed", report.removed]] as const) {
    if (slugs.length > 0) lines.push(`  ${label}: ${slugs.join(", ")}`);
  }
  for (const held of report.pendingReview) {
    lines.push(`  pending review: ${held.slug} loosens ${held.loosens.join("; ")}: not applied until another editor publishes proposal ${held.proposal.id}`);
  }
  for (const error of report.errors) lines.push(`  error: ${error.file}: ${error.field}: ${error.message}`);
  return lines;
}
