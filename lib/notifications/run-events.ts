import { and, eq, isNull, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookDeliveries, webhooks } from "../db/schema";

/** What a webhook can subscribe to. */
export const runEventNames = [
  "run.requested",
  "run.approval_needed",
  "run.approved",
  "run.rejected",
  "run.expired",
  "run.finished",
  "run.failed",
  "run.break_glass",
  "run.waiting",
] as const;
export type RunEventName = (typeof runEventNames)[number];

/** Events an owner's webhook always receives for their runbooks: every use, and every emergency use. */
export const ownerAlwaysReceives: readonly RunEventName[] = ["run.requested", "run.break_glass"];

/** A run as a notification describes it: never a secret value (params arrive masked). */
export interface RunEventRun {
  id: number;
  status: string;
  runbook: { slug: string; title: string; owner: string; risk: string };
  risk: string;
  requestedBy: { email: string; name: string };
  params: Record<string, unknown>;
  reason: string | null;
  ticket: string | null;
  dryRun: boolean;
  approvalsRequired: number;
  breakGlass: { justification: string; incident: string } | null;
  exitCode?: number | null;
  errorMessage?: string | null;
  /** Who approved, rejected or what expired it, for the approval events. */
  decidedBy?: { email: string; name: string } | null;
  comment?: string | null;
  /** For `run.waiting`: the step a person is needed for. */
  step?: { id: string; title: string; needs?: "person" | "approval" };
  /** A run a schedule fired: so a `run.failed` says which schedule's run failed. */
  schedule?: { id: number; scheduledFor: string };
}

export interface RunEventPayload {
  event: RunEventName;
  at: string;
  url: string;
  run: RunEventRun;
}

/**
 * Queues the event for every active webhook that wants it, in the caller's transaction, so a
 * notification exists exactly when the change it describes was committed (an outbox). The
 * worker's delivery loop sends them.
 */
export async function enqueueRunEvent(tx: Db, event: RunEventName, run: RunEventRun, publicUrl: string): Promise<number> {
  const hooks = await tx
    .select({ id: webhooks.id, events: webhooks.events, owner: webhooks.owner })
    .from(webhooks)
    .where(and(eq(webhooks.active, true), or(isNull(webhooks.owner), eq(webhooks.owner, run.runbook.owner))));
  const payload: RunEventPayload = { event, at: new Date().toISOString(), url: `${publicUrl}/runs/${run.id}`, run };
  const wanted = hooks.filter((hook) => hook.events.includes(event) || (hook.owner !== null && ownerAlwaysReceives.includes(event)));
  if (wanted.length === 0) return 0;
  await tx.insert(webhookDeliveries).values(
    wanted.map((hook) => ({ webhookId: hook.id, event, runId: run.id, payload: payload as unknown as Record<string, unknown> })),
  );
  return wanted.length;
}
