import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client";
import type { AuditEventInput } from "../audit/record";

/** Advisory lock key serialising claims across every worker process (and runs started as they are created). */
export const CLAIM_LOCK = 0x68726c63;

/** Takes the claim lock for the rest of the transaction: the running runs it then reads stay as they are. */
export async function lockClaims(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
}

/** A queued run (table alias `alias`) that may start now: under its runbook's concurrency limit, its lock free. */
export function startableNow(alias: string): SQL {
  const run = sql.raw(alias);
  return sql`(${run}.concurrency_limit is null or ${run}.concurrency_limit > (
      select count(*) from runs other where other.status = 'running' and other.runbook_slug = ${run}.runbook_slug))
    and (${run}.lock_key is null or not exists (
      select 1 from runs other where other.status = 'running' and other.lock_key = ${run}.lock_key))`;
}

export interface NewRunLimits {
  runbookSlug: string;
  concurrencyLimit: number | null;
  lockKey: string | null;
}

/**
 * Whether a run about to be created would be the next one claimed: nothing startable is queued
 * ahead of it, its runbook's concurrency allows one more, and its lock is free. Call with the
 * claim lock held.
 */
export async function wouldStartNext(tx: Db, run: NewRunLimits): Promise<boolean> {
  const [row] = rowsOf<{ next: boolean }>(
    await tx.execute(sql`
      select not exists (select 1 from runs candidate where candidate.status = 'queued' and ${startableNow("candidate")})
        and (select ${startableNow("fresh")} from (
          select ${run.runbookSlug}::text as runbook_slug, ${run.concurrencyLimit}::int as concurrency_limit, ${run.lockKey}::text as lock_key) fresh)
        as next`),
  );
  return row?.next === true;
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
