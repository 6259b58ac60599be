import fs from "node:fs";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { DatabaseHandle } from "../../db/client";
import { runbooks, runbookVersions } from "../../db/schema";
import type { RunbookDefinition } from "../../runbooks/definition";
import { definitionToYaml } from "../../runbooks/source";

export interface ExportReport {
  written: string[];
  skipped: Array<{ slug: string; reason: string }>;
}

/**
 * Writes every active Handrail-authored runbook as `<slug>.yaml` (scripts inline), in the format
 * the file loader reads, so a team can move them into git. Existing files are not overwritten
 * unless asked.
 */
export async function exportRunbooks(handle: DatabaseHandle, dir: string, actor: AuditActor, options: { overwrite: boolean }): Promise<ExportReport> {
  const rows = await handle.db
    .select({ slug: runbooks.slug, hash: runbooks.currentVersionHash, definition: runbookVersions.definition })
    .from(runbooks)
    .innerJoin(runbookVersions, eq(runbookVersions.hash, runbooks.currentVersionHash))
    .where(and(eq(runbooks.source, "ui"), isNull(runbooks.archivedAt)))
    .orderBy(runbooks.slug);
  fs.mkdirSync(dir, { recursive: true });
  const report: ExportReport = { written: [], skipped: [] };
  for (const row of rows) {
    const file = path.join(dir, `${row.slug}.yaml`);
    if (fs.existsSync(file) && !options.overwrite) {
      report.skipped.push({ slug: row.slug, reason: `${file} exists (use --overwrite)` });
      continue;
    }
    fs.writeFileSync(file, `# Exported from Handrail (version ${row.hash.slice(0, 12)}).\n${definitionToYaml(row.definition as RunbookDefinition)}`);
    report.written.push(file);
  }
  await recordAudit(handle.db, {
    actor,
    action: "runbook.exported",
    outcome: "success",
    subjectType: "runbook",
    details: { dir: path.resolve(dir), written: report.written.length, skipped: report.skipped.map((entry) => entry.slug) },
  });
  return report;
}
