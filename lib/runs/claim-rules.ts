import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client";
import { runsAlone } from "../db/runs-alone";
import type { AuditEventInput } from "../audit/record";

/** Advisory lock key serialising claims across every worker process (and runs started as they are created). */
export const CLAIM_LOCK = 0x68726c63;

/** Takes the claim lock for the rest of the transaction: the running runs it then reads stay as they are. */
export async function lockClaims(tx: Db): Promise<void> {
  if (runsAlone(tx)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
}

/**
 * A queued run (table alias `alias`) that may start now: under its runbook's concurrency limit, its
 * lock free. A run of steps waiting for a person keeps its lock: the procedure is still under way.
 */
export function startableNow(alias: string): SQL {
  const run = sql.raw(alias);
  return sql`(${run}.concurrency_limit is null or ${run}.concurrency_limit > (
      select count(*) from runs other where other.status = 'running' and other.runbook_slug = ${run}.runbook_slug))
    and (${run}.lock_key is null or not exists (
      select 1 from runs other where other.status in ('running', 'waiting') and other.lock_key = ${run}.lock_key))`;
}

export interface StartedHere {
  startedAt: Date;
  heartbeatAt: Date;
  workerId: string;
}

/**
 * The `start` move for the run this transaction has just inserted `queued`, by `workerId`, when it
 * is the run a claim would take next: nothing startable is queued ahead of it, its runbook's
 * concurrency allows one more, and its lock is free. Send it after `lockClaims` and the insert,
 * without waiting for their answers: statements of a transaction run in the order they are sent,
 * so it sees the claims as the lock's previous holder committed them, and the new run. The run is
 * found as the queued row this transaction wrote (its xmin), never by a value another session
 * could share; sent too early it finds nothing and the run simply stays queued.
 * Undefined when the run stays queued.
 */
export async function startJustInserted(tx: Db, workerId: string): Promise<StartedHere | undefined> {
  const [row] = rowsOf<{ started_at: Date | string; heartbeat_at: Date | string; worker_id: string }>(
    await tx.execute(sql`
      update runs fresh set status = 'running', started_at = now(), heartbeat_at = now(), worker_id = ${workerId}
      where fresh.status = 'queued' and fresh.xmin = pg_current_xact_id()::xid
        and ${startableNow("fresh")}
        and not exists (select 1 from runs candidate where candidate.status = 'queued' and candidate.id < fresh.id and ${startableNow("candidate")})
      returning fresh.started_at, fresh.heartbeat_at, fresh.worker_id`),
  );
  return row ? { startedAt: new Date(row.started_at), heartbeatAt: new Date(row.heartbeat_at), workerId: row.worker_id } : undefined;
}

/** The audit event of a run's start, by the worker that runs it. */
export function runStartedEvent(run: { id: number; versionHash: string; runbookSlug: string }, workerId: string): AuditEventInput {
  return {
    actor: { type: "system", id: workerId },
    action: "run.started",
    outcome: "success",
    subjectType: "run",
    subjectId: String(run.id),
    versionHash: run.versionHash,
    details: { runbook: run.runbookSlug, workerId },
  };
}
