import { and, eq, sql } from "drizzle-orm";
import { startsFrom } from "./moves";
import { runChanged, type RunNotice } from "./notices";
import { recordAudit, type AuditActor } from "../audit/record";
import type { Db } from "../db/client";
import { runs, runSecrets } from "../db/schema";
import { notifyRunEvent, type RunEventExtra } from "../notifications/notify-run-event";

export interface PendingRunClosure {
  runId: number;
  status: "rejected" | "expired";
  /** Shown on the run: why it will never run. */
  message: string;
  actor: AuditActor;
  details: Record<string, unknown>;
  publicUrl: string;
  decision?: RunEventExtra;
}

/**
 * The `reject` and `expire` moves: ends a run that is waiting for approval without running it —
 * the status, its audit event and its webhook events in the caller's transaction. Returns what to
 * tell once committed, or null when the run was no longer waiting.
 */
export async function closePendingRun(tx: Db, closure: PendingRunClosure): Promise<RunNotice[] | null> {
  const move = closure.status === "rejected" ? "reject" : "expire";
  const closed = await tx
    .update(runs)
    .set({ status: closure.status, finishedAt: sql`now()`, errorMessage: closure.message })
    .where(and(eq(runs.id, closure.runId), startsFrom(move, sql`${runs.status}`)))
    .returning({ slug: runs.runbookSlug, versionHash: runs.versionHash });
  const [run] = closed;
  if (!run) return null;
  await tx.delete(runSecrets).where(eq(runSecrets.runId, closure.runId));
  await recordAudit(tx, {
    actor: closure.actor,
    action: `run.${closure.status}`,
    outcome: closure.status === "expired" ? "failure" : "success",
    subjectType: "run",
    subjectId: String(closure.runId),
    versionHash: run.versionHash,
    details: { runbook: run.slug, reason: closure.message, ...closure.details },
  });
  await notifyRunEvent(tx, closure.status === "rejected" ? "run.rejected" : "run.expired", closure.runId, closure.publicUrl, closure.decision);
  return [runChanged(closure.runId)];
}

/** Why a request that waited too long will never run. */
export function approvalExpiredMessage(expiresAt: Date | null): string {
  return `approval expired: nobody approved it before ${expiresAt?.toISOString() ?? "the deadline"}`;
}

/** Why a request for a runbook that changed or was archived while it waited will never run. */
export function approvalInvalidatedMessage(slug: string, change: { archived: true } | { currentVersion: string }): string {
  return "archived" in change
    ? `approval invalidated: runbook "${slug}" was archived after this request`
    : `approval invalidated: runbook "${slug}" changed to version ${change.currentVersion.slice(0, 12)} after this request; request it again`;
}
