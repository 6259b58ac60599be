import { and, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { Db } from "../../db/client";
import { runOutput, runOutputBlocks, runs } from "../../db/schema";
import { finishedRunStatuses } from "../../run-statuses";

export interface PruneReport {
  runs: number[];
  cutoff: string;
}

/**
 * Retention: deletes the output lines of runs that finished more than `days` ago. The run keeps
 * its line count, size and sha256, and each pruning is an audit event that repeats the digest,
 * so the record still proves what was printed. Audit events themselves are never pruned.
 */
export async function pruneRunOutput(db: Db, days: number, actor: AuditActor): Promise<PruneReport> {
  const cutoff = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  const due = await db
    .select({ id: runs.id, slug: runs.runbookSlug, versionHash: runs.versionHash, lines: runs.outputLines, bytes: runs.outputBytes, sha256: runs.outputSha256, finishedAt: runs.finishedAt })
    .from(runs)
    .where(and(isNotNull(runs.finishedAt), lt(runs.finishedAt, cutoff), isNull(runs.outputPrunedAt), inArray(runs.status, [...finishedRunStatuses])))
    .orderBy(runs.id)
    .limit(1000);
  for (const run of due) {
    await db.transaction(async (tx) => {
      await tx.delete(runOutput).where(eq(runOutput.runId, run.id));
      await tx.delete(runOutputBlocks).where(eq(runOutputBlocks.runId, run.id));
      await tx.update(runs).set({ outputPrunedAt: new Date() }).where(eq(runs.id, run.id));
      await recordAudit(tx, {
        actor,
        action: "run.output_pruned",
        outcome: "success",
        subjectType: "run",
        subjectId: String(run.id),
        versionHash: run.versionHash,
        details: {
          runbook: run.slug,
          retentionDays: days,
          finishedAt: run.finishedAt?.toISOString(),
          outputLines: run.lines,
          outputBytes: run.bytes,
          outputSha256: run.sha256,
        },
      });
    });
  }
  return { runs: due.map((run) => run.id), cutoff: cutoff.toISOString() };
}
