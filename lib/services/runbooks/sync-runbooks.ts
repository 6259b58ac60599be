import { and, eq, isNull, notInArray } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { DatabaseHandle } from "../../db/client";
import { runbooks } from "../../db/schema";
import { appendRevision } from "./revisions";
import { loadRunbooksDir, type LoadedRunbook, type RunbookLoadError } from "../../runbooks/load";
import { invalidatePendingApprovals } from "../../executor/expire-approvals";
import { config } from "../../env";

export interface SyncReport {
  added: string[];
  changed: string[];
  unchanged: string[];
  removed: string[];
  errors: RunbookLoadError[];
}

async function upsertRunbook(handle: DatabaseHandle, loaded: LoadedRunbook, actor: AuditActor): Promise<"added" | "changed" | "unchanged" | RunbookLoadError> {
  const { definition, hash, sourcePath } = loaded;
  return handle.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(runbooks).where(eq(runbooks.slug, definition.slug));
    if (existing && existing.source !== "file") {
      return {
        file: sourcePath,
        field: "slug",
        message: `"${definition.slug}" is a runbook authored in Handrail, not a file; rename this file's slug, or export the runbook with \`handrail runbooks export\` and archive it in Handrail first`,
      };
    }
    if (existing && existing.currentVersionHash === hash && existing.archivedAt === null) return "unchanged";
    await appendRevision(
      tx,
      {
        slug: definition.slug,
        definition,
        versionHash: hash,
        kind: "synced",
        author: { label: `file:${sourcePath}` },
        message: existing ? `file changed (synced by ${actor.email ?? actor.id ?? actor.type})` : `file added (synced by ${actor.email ?? actor.id ?? actor.type})`,
      },
      { kind: "file", path: sourcePath },
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
export async function syncRunbooks(handle: DatabaseHandle, dir: string, actor: AuditActor): Promise<SyncReport> {
  const loaded = loadRunbooksDir(dir);
  const report: SyncReport = { added: [], changed: [], unchanged: [], removed: [], errors: loaded.errors };
  for (const runbook of loaded.runbooks) {
    const outcome = await upsertRunbook(handle, runbook, actor);
    if (typeof outcome === "object") report.errors.push(outcome);
    else report[outcome].push(runbook.definition.slug);
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
    await handle.db.transaction(async (tx) => {
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
      await invalidatePendingApprovals(tx, { slug: runbook.slug, cause: "archived", actor, publicUrl: config().publicUrl });
    });
    report.removed.push(runbook.slug);
  }
  return report;
}

export function formatSyncReport(report: SyncReport): string[] {
  const lines = [
    `runbooks: ${report.added.length} added, ${report.changed.length} changed, ${report.unchanged.length} unchanged, ${report.removed.length} removed`,
  ];
  for (const [label, slugs] of [["added", report.added], ["changed", report.changed], ["removed", report.removed]] as const) {
    if (slugs.length > 0) lines.push(`  ${label}: ${slugs.join(", ")}`);
  }
  for (const error of report.errors) lines.push(`  error: ${error.file}: ${error.field}: ${error.message}`);
  return lines;
}
