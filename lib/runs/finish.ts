import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record";
import { rowsOf, type Db } from "../db/client";
import { runSecrets } from "../db/schema";
import { finishEventOf, notifyRunEvent } from "../notifications/notify-run-event";
import { assertMove, startsFrom } from "./moves";
import { runChanged, type RunNotice } from "./notices";
import { recountOutputTotals } from "./output-totals";
import { recordViewResult } from "../views/record-result";

export interface Finish {
  runId: number;
  runbookSlug: string;
  versionHash: string;
  /** Only the worker that runs it may finish it. */
  workerId: string;
  status: "succeeded" | "failed" | "timed_out" | "cancelled" | "interrupted";
  exitCode: number | null;
  signal: string | null;
  errorMessage: string | null;
  /** `recount`: a run of steps written by several workers; its totals are computed from the stored lines. */
  output: { lines: number; bytes: number; sha256: string; droppedLines: number; droppedBytes: number; truncated: boolean; recount?: boolean };
  publicUrl: string;
  /** A run of a view runbook: what it printed last, for its panel (lib/views/record-result.ts). */
  view?: { lastLine: string | undefined; tail: readonly string[] };
}

async function recountedTotals(tx: Db, runId: number): Promise<{ lines: number; bytes: number; sha256: string }> {
  await recountOutputTotals(tx, runId);
  const [row] = rowsOf<{ lines: number; bytes: number | string; sha256: string }>(
    await tx.execute(sql`select output_lines as lines, output_bytes as bytes, output_sha256 as sha256 from runs where id = ${runId}`),
  );
  return { lines: Number(row?.lines ?? 0), bytes: Number(row?.bytes ?? 0), sha256: row?.sha256 ?? "" };
}

/**
 * The `finish` move: how the process ended, the output's totals and digest, its audit event and
 * webhook event, in the caller's transaction; the run's sealed secrets go. Null when the run was
 * no longer this worker's running run (recovery marked it interrupted meanwhile).
 */
export async function finishRun(tx: Db, finish: Finish): Promise<RunNotice[] | null> {
  assertMove("finish", finish.status);
  const { runId, output } = finish;
  const [row] = rowsOf<{ started_at: string; finished_at: string; cancelled_by: string | null }>(
    await tx.execute(sql`
      update runs set status = ${finish.status}, finished_at = now(), exit_code = ${finish.exitCode},
        signal = ${finish.signal}, error_message = ${finish.errorMessage},
        output_lines = ${output.lines}, output_bytes = ${output.bytes}, output_sha256 = ${output.sha256},
        output_dropped_bytes = ${output.droppedBytes}
      where id = ${runId} and ${startsFrom("finish")} and worker_id = ${finish.workerId}
      returning started_at, finished_at, cancelled_by`),
  );
  await tx.delete(runSecrets).where(eq(runSecrets.runId, runId));
  if (!row) return null;
  const totals = output.recount ? await recountedTotals(tx, runId) : output;
  await recordAudit(tx, {
    actor: { type: "system", id: finish.workerId },
    action: "run.finished",
    outcome: finish.status === "succeeded" ? "success" : "failure",
    subjectType: "run",
    subjectId: String(runId),
    versionHash: finish.versionHash,
    details: {
      runbook: finish.runbookSlug,
      status: finish.status,
      exitCode: finish.exitCode,
      signal: finish.signal,
      durationMs: new Date(row.finished_at).getTime() - new Date(row.started_at).getTime(),
      outputLines: totals.lines,
      outputBytes: totals.bytes,
      outputSha256: totals.sha256,
      ...(output.truncated ? { outputDroppedLines: output.droppedLines, outputDroppedBytes: output.droppedBytes } : {}),
      ...(row.cancelled_by ? { cancelledBy: row.cancelled_by } : {}),
    },
  });
  if (finish.view) {
    await recordViewResult(tx, { runId, runbookSlug: finish.runbookSlug, status: finish.status, exitCode: finish.exitCode, ...finish.view, actor: { type: "system", id: finish.workerId }, publicUrl: finish.publicUrl });
  }
  await notifyRunEvent(tx, finishEventOf(finish.status), runId, finish.publicUrl);
  return [runChanged(runId)];
}
