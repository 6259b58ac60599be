import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { runbooks, runs, users, webhooks } from "../db/schema";
import { enqueueRunEvent, type RunEventName, type RunEventRun } from "./run-events";

export interface RunEventExtra {
  decidedBy?: { email: string; name: string } | null;
  comment?: string | null;
  step?: { id: string; title: string; needs?: "person" | "approval" };
}

/** Whether any webhook is active: when none is, no event need be described. */
export async function anyActiveWebhook(tx: Db): Promise<boolean> {
  const [anyHook] = await tx.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.active, true)).limit(1);
  return anyHook !== undefined;
}

/**
 * Queues a run event for the webhooks that want it, described from the run as committed in this
 * transaction. Costs one indexed look-up when no webhook is configured.
 */
export async function notifyRunEvent(tx: Db, event: RunEventName, runId: number, publicUrl: string, extra: RunEventExtra = {}): Promise<number> {
  if (!(await anyActiveWebhook(tx))) return 0;
  const [row] = await tx
    .select({ run: runs, requester: { email: users.email, name: users.name }, runbook: { title: runbooks.title, owner: runbooks.owner, risk: runbooks.risk } })
    .from(runs)
    .innerJoin(users, eq(users.id, runs.requestedBy))
    .leftJoin(runbooks, eq(runbooks.slug, runs.runbookSlug))
    .where(eq(runs.id, runId));
  if (!row) return 0;
  const { run } = row;
  const described: RunEventRun = {
    id: run.id,
    status: run.status,
    runbook: { slug: run.runbookSlug, title: row.runbook?.title ?? run.runbookSlug, owner: row.runbook?.owner ?? "", risk: row.runbook?.risk ?? "high" },
    risk: run.risk ?? row.runbook?.risk ?? "high",
    requestedBy: row.requester,
    params: run.params,
    reason: run.reason,
    ticket: run.ticket,
    dryRun: run.dryRun,
    approvalsRequired: run.approvalsRequired,
    breakGlass: run.breakGlassIncident ? { justification: run.breakGlassJustification ?? "", incident: run.breakGlassIncident } : null,
    exitCode: run.exitCode,
    errorMessage: run.errorMessage,
    ...(extra.decidedBy !== undefined ? { decidedBy: extra.decidedBy } : {}),
    ...(extra.comment !== undefined ? { comment: extra.comment } : {}),
    ...(extra.step ? { step: extra.step } : {}),
    ...(run.scheduleId !== null ? { schedule: { id: run.scheduleId, scheduledFor: run.scheduledFor?.toISOString() ?? "" } } : {}),
  };
  return enqueueRunEvent(tx, event, described, publicUrl);
}

/** The event a finished run sends: `run.finished` when it succeeded or was cancelled, `run.failed` otherwise. */
export function finishEventOf(status: string): RunEventName {
  return status === "succeeded" || status === "cancelled" ? "run.finished" : "run.failed";
}
