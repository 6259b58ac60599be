import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record";
import { rowsOf, type DatabaseHandle } from "../db/client";
import { config } from "../env";
import { RUN_EVENTS_CHANNEL } from "./channels";
import { notifyRunEvent } from "../notifications/notify-run-event";
import { killRecordedRun } from "./isolation/recorded-run";

interface StaleRun {
  id: number | string;
  worker_id: string | null;
  runbook_slug: string;
  version_hash: string;
  process_host: string | null;
  process_id: number | null;
  process_start_time: string | null;
  process_uid: number | string | null;
}

/**
 * Marks runs whose worker stopped heartbeating as interrupted, keeping the output they had and
 * adding a closing line that says why. Safe to call from any number of workers at once: the
 * conditional update decides which one records it.
 */
export async function recoverStaleRuns(handle: DatabaseHandle, staleAfterSeconds: number, recoveredBy: string, publicUrl = config().publicUrl): Promise<number[]> {
  const stale = sql`status = 'running' and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${staleAfterSeconds}))`;
  const candidates = await handle.query<StaleRun>(sql`select id, worker_id, runbook_slug, version_hash, process_host, process_id, process_start_time, process_uid from runs where ${stale}`);
  const recovered: number[] = [];
  for (const run of candidates) {
    const id = Number(run.id);
    // A run recorded as interrupted has no process left: kill what its dead worker left on this host.
    const killed = killRecordedRun({
      host: run.process_host,
      pid: run.process_id,
      startTime: run.process_start_time,
      uid: run.process_uid === null ? null : Number(run.process_uid),
    });
    const message = `interrupted: worker ${run.worker_id ?? "?"} stopped responding; the output up to here was kept`;
    const changed = await handle.db.transaction(async (tx) => {
      const updated = rowsOf(
        await tx.execute(sql`
          update runs set status = 'interrupted', finished_at = now(), error_message = ${message}
          where id = ${id} and ${stale} returning id`),
      );
      if (updated.length === 0) return false;
      await tx.execute(sql`
        insert into run_output (run_id, seq, stream, at, line)
        select ${id}, coalesce(max(seq), 0) + 1, 'system', now(), ${message} from run_output where run_id = ${id}`);
      await tx.execute(sql`delete from run_secrets where run_id = ${id}`);
      // The worker died before recording its totals: compute them from what was persisted.
      await tx.execute(sql`
        update runs set output_lines = totals.lines, output_bytes = totals.bytes, output_sha256 = totals.digest
        from (
          select count(*)::int as lines, coalesce(sum(octet_length(line) + 1), 0)::bigint as bytes,
                 encode(sha256(convert_to(coalesce(string_agg(line || E'\n', '' order by seq), ''), 'UTF8')), 'hex') as digest
          from run_output where run_id = ${id}
        ) as totals
        where runs.id = ${id}`);
      await recordAudit(tx, {
        actor: { type: "system", id: recoveredBy },
        action: "run.interrupted",
        outcome: "failure",
        subjectType: "run",
        subjectId: String(id),
        versionHash: run.version_hash,
        details: { runbook: run.runbook_slug, workerId: run.worker_id, reason: "stale heartbeat", ...(killed ? { killedLeftoverProcesses: true } : {}) },
      });
      await notifyRunEvent(tx, "run.failed", id, publicUrl);
      return true;
    });
    if (changed) {
      recovered.push(id);
      await handle.notify(RUN_EVENTS_CHANNEL, String(id));
    }
  }
  return recovered;
}
