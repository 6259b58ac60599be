import { and, eq, lt, ne, sql } from "drizzle-orm";
import type { AuditActor } from "../audit/record";
import type { DatabaseHandle, Db } from "../db/client";
import { runbooks, runs, runSteps } from "../db/schema";
import { publishNotices, type RunNotice } from "./notices";
import { startsFrom } from "./moves";
import { approvalExpiredMessage, approvalInvalidatedMessage, closePendingRun } from "./close-pending-run";

/** Requests nobody decided on in time become `expired`; safe to call from every worker at once. */
export async function expireOverdueApprovals(handle: DatabaseHandle, expiredBy: string, publicUrl: string): Promise<number[]> {
  const overdue = await handle.db
    .select({ id: runs.id, expiresAt: runs.approvalExpiresAt })
    .from(runs)
    .where(and(startsFrom("expire", sql`${runs.status}`), lt(runs.approvalExpiresAt, sql`now()`)));
  const expired: number[] = [];
  for (const run of overdue) {
    const closed = await handle.db.transaction((tx) =>
      closePendingRun(tx, {
        runId: run.id,
        status: "expired",
        message: approvalExpiredMessage(run.expiresAt),
        actor: { type: "system", id: expiredBy },
        details: { cause: "timeout", expiresAt: run.expiresAt?.toISOString() ?? null },
        publicUrl,
      }),
    );
    if (closed) {
      expired.push(run.id);
      await publishNotices(handle, closed);
    }
  }
  return [...expired, ...(await expireOverdueStepApprovals(handle, expiredBy, publicUrl))];
}

/** Steps that waited for approval past their deadline end their run `expired` there. */
async function expireOverdueStepApprovals(handle: DatabaseHandle, expiredBy: string, publicUrl: string): Promise<number[]> {
  const overdue = await handle.db
    .select({ runId: runSteps.runId, position: runSteps.position, id: runSteps.stepId, expiresAt: runSteps.approvalExpiresAt })
    .from(runSteps)
    .innerJoin(runs, eq(runs.id, runSteps.runId))
    .where(and(startsFrom("expireStep", sql`${runs.status}`), eq(runSteps.status, "waiting"), lt(runSteps.approvalExpiresAt, sql`now()`)));
  const expired: number[] = [];
  for (const step of overdue) {
    const closed = await handle.db.transaction((tx) =>
      closePendingRun(tx, {
        runId: step.runId,
        status: "expired",
        message: `step ${step.id}: ${approvalExpiredMessage(step.expiresAt)}`,
        actor: { type: "system", id: expiredBy },
        details: { cause: "timeout", expiresAt: step.expiresAt?.toISOString() ?? null },
        publicUrl,
        step: { id: step.id, position: step.position },
      }),
    );
    if (closed) {
      expired.push(step.runId);
      await publishNotices(handle, closed);
    }
  }
  return expired;
}

export interface Invalidation {
  slug: string;
  /** `version_changed` expires requests for any version but the current one; `archived` expires them all. */
  cause: "version_changed" | "archived";
  actor: AuditActor;
  publicUrl: string;
}

/**
 * A runbook changed or was archived: requests still waiting for approval would run something the
 * approvers never saw (or that is withdrawn), so they expire and must be requested again.
 */
export async function invalidatePendingApprovals(tx: Db, invalidation: Invalidation): Promise<RunNotice[]> {
  const { slug, cause } = invalidation;
  const waiting = await tx
    .select({ id: runs.id, versionHash: runs.versionHash, current: runbooks.currentVersionHash })
    .from(runs)
    .innerJoin(runbooks, eq(runbooks.slug, runs.runbookSlug))
    .where(
      and(eq(runs.runbookSlug, slug), startsFrom("expire", sql`${runs.status}`), cause === "version_changed" ? ne(runs.versionHash, runbooks.currentVersionHash) : undefined),
    );
  const notices: RunNotice[] = [];
  for (const run of waiting) {
    const message = approvalInvalidatedMessage(slug, cause === "archived" ? { archived: true } : { currentVersion: run.current });
    const closed = await closePendingRun(tx, {
      runId: run.id,
      status: "expired",
      message,
      actor: invalidation.actor,
      details: { cause, requestedVersion: run.versionHash, currentVersion: run.current },
      publicUrl: invalidation.publicUrl,
    });
    if (closed) notices.push(...closed);
  }
  return notices;
}
