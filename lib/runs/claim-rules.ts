import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { runsAlone } from "../db/runs-alone";
import type { AuditEventInput } from "../audit/record";

/** Advisory lock key serialising claims across every worker process (and runs started as they are created). */
export const CLAIM_LOCK = 0x68726c63;

/** Takes the claim lock for the rest of the transaction: the running runs it then reads stay as they are. */
export async function lockClaims(tx: Db): Promise<void> {
  if (runsAlone(tx)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
}

/** A run's fields that decide whether it may start: as columns of a row, or as the values of one about to be created. */
interface StartFields {
  runbookSlug: SQL;
  concurrencyLimit: SQL;
  lockKey: SQL;
}

/** The run may start now: under its runbook's concurrency limit, its lock free. A run of steps waiting for a person keeps its lock: the procedure is still under way. */
function startable({ runbookSlug, concurrencyLimit, lockKey }: StartFields): SQL {
  return sql`(${concurrencyLimit} is null or ${concurrencyLimit} > (
      select count(*) from runs other where other.status = 'running' and other.runbook_slug = ${runbookSlug}))
    and (${lockKey} is null or not exists (
      select 1 from runs other where other.status in ('running', 'waiting') and other.lock_key = ${lockKey}))`;
}

/** A queued run (table alias `alias`) that may start now. */
export function startableNow(alias: string): SQL {
  const run = sql.raw(alias);
  return startable({ runbookSlug: sql`${run}.runbook_slug`, concurrencyLimit: sql`${run}.concurrency_limit`, lockKey: sql`${run}.lock_key` });
}

/**
 * Whether a run about to be created with these fields may be created `running`: it is the run a
 * claim would take next. Nothing startable is queued (it would be ahead of the new run), its
 * runbook's concurrency allows one more, and its lock is free. Read under `lockClaims`, so the
 * running runs it counts stay as they are until the run is inserted and committed.
 */
export function startsAsCreated(run: { runbookSlug: string; concurrencyLimit: number | null; lockKey: string | null }): SQL {
  const fields = { runbookSlug: sql`${run.runbookSlug}::text`, concurrencyLimit: sql`${run.concurrencyLimit}::int`, lockKey: sql`${run.lockKey}::text` };
  return sql`(${startable(fields)}
    and not exists (select 1 from runs candidate where candidate.status = 'queued' and ${startableNow("candidate")}))`;
}

/** The columns of a run created `running` by `workerId`, started as its transaction began. */
export function startedColumns(workerId: string) {
  return { status: "running" as const, startedAt: sql`now()`, heartbeatAt: sql`now()`, workerId };
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
