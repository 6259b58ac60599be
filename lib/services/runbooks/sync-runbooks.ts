import { and, eq, isNull, notInArray } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { DatabaseHandle } from "../../db/client";
import { runbooks, runbookVersions } from "../../db/schema";
import { loadRunbooksDir, type LoadedRunbook, type RunbookLoadError } from "../../runbooks/load";

export interface SyncReport {
  added: string[];
  changed: string[];
  unchanged: string[];
  removed: string[];
  errors: RunbookLoadError[];
}

async function upsertRunbook(handle: DatabaseHandle, loaded: LoadedRunbook, actor: AuditActor): Promise<"added" | "changed" | "unchanged"> {
  const { definition, hash, sourcePath } = loaded;
  return handle.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(runbooks).where(eq(runbooks.slug, definition.slug));
    if (existing && existing.currentVersionHash === hash && existing.archivedAt === null) return "unchanged";
    await tx.insert(runbookVersions).values({ hash, slug: definition.slug, definition }).onConflictDoNothing();
    const fields = {
      currentVersionHash: hash,
      title: definition.title,
      description: definition.description,
      owner: definition.owner,
      tags: definition.tags,
      risk: definition.risk,
      environment: definition.environment ?? null,
      source: "file" as const,
      sourcePath,
      archivedAt: null,
      updatedAt: new Date(),
    };
    await tx.insert(runbooks).values({ slug: definition.slug, ...fields }).onConflictDoUpdate({ target: runbooks.slug, set: fields });
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
    report[await upsertRunbook(handle, runbook, actor)].push(runbook.definition.slug);
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
