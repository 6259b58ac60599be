import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { activeRunStatuses } from "../run-statuses";
import { recordAudit, type AuditActor } from "../audit/record";
import type { Db } from "../db/client";
import { runs, runSecrets } from "../db/schema";
import { finishEventOf, notifyRunEvent } from "../notifications/notify-run-event";
import { startsFrom } from "./moves";
import { endCurrentStep } from "./run-steps";
import { runChanged, stopRequested, type RunNotice } from "./notices";

export interface Cancellation {
  runId: number;
  /** The user who cancels, recorded on the run. */
  userId: string;
  actor: AuditActor;
  versionHash: string;
  details: Record<string, unknown>;
  publicUrl: string;
}

export type CancelResult = { result: "cancelled" | "stop_requested"; notices: RunNotice[] } | { result: "nothing"; notices: [] };

/** A run cancelled while a `runbook:` step waited: the run that step requested is cancelled (or stopped) with it. */
async function cancelRequestedRuns(tx: Db, cancellation: Cancellation): Promise<RunNotice[]> {
  const requested = await tx
    .select({ id: runs.id, versionHash: runs.versionHash })
    .from(runs)
    .where(and(eq(runs.parentRunId, cancellation.runId), inArray(runs.status, [...activeRunStatuses])));
  const notices: RunNotice[] = [];
  for (const run of requested) {
    const result = await cancelOrStopRun(tx, { ...cancellation, runId: run.id, versionHash: run.versionHash, details: { ...cancellation.details, withRun: cancellation.runId } });
    notices.push(...result.notices);
  }
  return notices;
}

/**
 * The `cancel` move for a run that has not started (it is cancelled at once, and its webhook event
 * sent here since no worker will), or, for a running one, a request to stop: its worker kills the
 * whole process group and then records `finish` as cancelled. In the caller's transaction.
 */
export async function cancelOrStopRun(tx: Db, cancellation: Cancellation): Promise<CancelResult> {
  const { runId } = cancellation;
  const now = new Date();
  const dequeued = await tx
    .update(runs)
    .set({ status: "cancelled", finishedAt: now, cancelRequestedAt: now, cancelledBy: cancellation.userId })
    .where(and(eq(runs.id, runId), startsFrom("cancel", sql`${runs.status}`)))
    .returning({ id: runs.id });
  const stopping =
    dequeued.length > 0
      ? []
      : await tx
          .update(runs)
          .set({ cancelRequestedAt: now, cancelledBy: cancellation.userId })
          .where(and(eq(runs.id, runId), startsFrom("finish", sql`${runs.status}`), isNull(runs.cancelRequestedAt)))
          .returning({ id: runs.id });
  if (dequeued.length === 0 && stopping.length === 0) return { result: "nothing", notices: [] };
  if (dequeued.length > 0) {
    await tx.delete(runSecrets).where(eq(runSecrets.runId, runId));
    await endCurrentStep(tx, runId, "cancelled", "cancelled while waiting for a person");
  }
  await recordAudit(tx, {
    actor: cancellation.actor,
    action: dequeued.length > 0 ? "run.cancelled" : "run.cancel_requested",
    outcome: "success",
    subjectType: "run",
    subjectId: String(runId),
    versionHash: cancellation.versionHash,
    details: cancellation.details,
  });
  if (dequeued.length > 0) {
    await notifyRunEvent(tx, finishEventOf("cancelled"), runId, cancellation.publicUrl);
    return { result: "cancelled", notices: [runChanged(runId), ...(await cancelRequestedRuns(tx, cancellation))] };
  }
  return { result: "stop_requested", notices: [stopRequested(runId)] };
}
