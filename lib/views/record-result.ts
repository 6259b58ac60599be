import { desc, eq, sql } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record";
import type { Db } from "../db/client";
import { runsAlone } from "../db/runs-alone";
import { runbooks, viewResults } from "../db/schema";
import { queueViewStatusChanged } from "../notifications/view-events";
import { parseViewResult, type ViewStatus } from "./view-result";

export interface FinishedView {
  runId: number;
  runbookSlug: string;
  /** How the run ended, and its exit code: a run that failed without a result says so on its panel. */
  status: string;
  exitCode: number | null;
  /** The run's last stdout line and last lines of output, masked. */
  lastLine: string | undefined;
  tail: readonly string[];
  actor: AuditActor;
  publicUrl: string;
}

/**
 * Records what a finished run of a view runbook reported, in the transaction that finishes it: the
 * result read from its last line, or why none could be, with the output's last lines. A status
 * different from the view's previous one is audited and sent as `view.status_changed`.
 */
export async function recordViewResult(tx: Db, finished: FinishedView): Promise<void> {
  // One view's results are written one at a time, so each compares itself with the one before.
  if (!runsAlone(tx)) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`view:${finished.runbookSlug}`}))`);
  const parsed = parseViewResult(finished.lastLine);
  const failed = finished.status === "succeeded" ? "" : `the run ${finished.status.replace("_", " ")}${finished.exitCode !== null ? ` (exit ${finished.exitCode})` : ""}; `;
  const result = parsed.ok ? parsed.result : undefined;
  const status: ViewStatus = result?.status ?? "unknown";
  const [previous] = await tx.select({ status: viewResults.status }).from(viewResults).where(eq(viewResults.runbookSlug, finished.runbookSlug)).orderBy(desc(viewResults.id)).limit(1);
  await tx.insert(viewResults).values({
    runbookSlug: finished.runbookSlug,
    runId: finished.runId,
    status,
    headline: result?.headline ?? null,
    value: result?.value ?? null,
    unit: result?.unit ?? null,
    table: result?.table ?? null,
    parseError: parsed.ok ? null : `${failed}${parsed.error}`,
    rawTail: parsed.ok ? null : finished.tail.join("\n"),
  });
  if (!previous || previous.status === status) return;
  const [runbook] = await tx.select({ title: runbooks.title, owner: runbooks.owner }).from(runbooks).where(eq(runbooks.slug, finished.runbookSlug));
  await recordAudit(tx, {
    actor: finished.actor,
    action: "view.status_changed",
    outcome: "success",
    subjectType: "runbook",
    subjectId: finished.runbookSlug,
    details: { from: previous.status, to: status, run: finished.runId, headline: result?.headline ?? null },
  });
  await queueViewStatusChanged(tx, {
    url: `${finished.publicUrl}/dashboard`,
    view: { runbook: { slug: finished.runbookSlug, title: runbook?.title ?? finished.runbookSlug, owner: runbook?.owner ?? "" }, from: previous.status, to: status, headline: result?.headline ?? null, run: finished.runId },
  });
}
