import { and, eq, sql } from "drizzle-orm";
import { startsFrom } from "./moves";
import { runChanged, type RunNotice } from "./notices";
import { recordAudit, type AuditActor } from "../audit/record";
import type { Db } from "../db/client";
import { runs, runSecrets, runSteps } from "../db/schema";
import { countPageChange } from "./page-changes";
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
  /** A run of steps that waited for this step's approval: the step ends with the same status, and the run there. */
  step?: { id: string; position: number };
}

/**
 * The `reject` and `expire` moves: ends a run that is waiting for approval without running it (or,
 * with `step`, a run of steps at the step that waited for approval: `rejectStep`, `expireStep`) —
 * the status, its audit event and its webhook events in the caller's transaction. Returns what to
 * tell once committed, or null when the run was no longer waiting.
 */
export async function closePendingRun(tx: Db, closure: PendingRunClosure): Promise<RunNotice[] | null> {
  const { step } = closure;
  const move = closure.status === "rejected" ? (step ? "rejectStep" : "reject") : step ? "expireStep" : "expire";
  const closed = await tx
    .update(runs)
    .set({ status: closure.status, finishedAt: sql`now()`, errorMessage: closure.message })
    .where(
      and(
        eq(runs.id, closure.runId),
        startsFrom(move, sql`${runs.status}`),
        step ? sql`exists (select 1 from run_steps where run_id = ${closure.runId} and position = ${step.position} and status = 'waiting')` : undefined,
      ),
    )
    .returning({ slug: runs.runbookSlug, versionHash: runs.versionHash });
  const [run] = closed;
  if (!run) return null;
  await tx.delete(runSecrets).where(eq(runSecrets.runId, closure.runId));
  if (step) {
    await tx
      .update(runSteps)
      .set({ status: closure.status, message: closure.message, finishedAt: sql`now()` })
      .where(and(eq(runSteps.runId, closure.runId), eq(runSteps.position, step.position)));
    await countPageChange(tx, closure.runId);
  }
  await recordAudit(tx, {
    actor: closure.actor,
    action: `run.${closure.status}`,
    outcome: closure.status === "expired" ? "failure" : "success",
    subjectType: "run",
    subjectId: String(closure.runId),
    versionHash: run.versionHash,
    details: { runbook: run.slug, reason: closure.message, ...(step ? { step: step.id } : {}), ...closure.details },
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
