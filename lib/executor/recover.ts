import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client";
import { config } from "../config/env";
import { interruptRun } from "../runs/interrupt";
import { startsFrom } from "../runs/moves";
import { publishNotices } from "../runs/notices";
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
  const stale = sql`${startsFrom("interrupt")} and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${staleAfterSeconds}))`;
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
    const notices = await handle.db.transaction((tx) =>
      interruptRun(tx, {
        runId: id,
        runbookSlug: run.runbook_slug,
        versionHash: run.version_hash,
        workerId: run.worker_id,
        recoveredBy,
        stillStale: stale,
        killedLeftoverProcesses: killed,
        publicUrl,
      }),
    );
    if (notices) {
      recovered.push(id);
      await publishNotices(handle, notices);
    }
  }
  return recovered;
}
