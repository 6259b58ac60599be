import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record";
import { rowsOf, type Db } from "../db/client";
import type { RunbookDefinition } from "../runbooks/definition";
import type { ParamValues } from "../runbooks/params";
import { lockClaims, runStartedEvent, startableNow } from "./claim-rules";
import type { ClaimedRun } from "./local-worker";
import { startsFrom } from "./moves";
import { runChanged, type RunNotice } from "./notices";
import { openSecrets } from "./run-secrets";

/** A claimed run (its masked parameters with the sealed secret values opened again) and what to tell after commit. */
export interface StartedRun extends ClaimedRun {
  /** Whether other runs were waiting when this one was claimed. */
  moreQueued: boolean;
  notices: RunNotice[];
}

interface ClaimedRow {
  id: number | string;
  params: ParamValues;
  version_hash: string;
  timeout_ms: number | string;
  dry_run: boolean;
  runbook_slug: string;
  definition: RunbookDefinition;
  ciphertext: string | null;
  more_queued: boolean;
  continued: boolean;
  last_seq: number | string;
  output_bytes: number | string;
}

/**
 * The `start` move from the queue: claims the oldest queued run that may start now for this
 * worker, with everything needed to run it, in one statement after the claim lock (on the embedded
 * database every statement holds the server's only thread), and audits its start.
 */
export async function startNextQueuedRun(tx: Db, workerId: string, secretKey: string | undefined): Promise<StartedRun | undefined> {
  // Claims are serialised so two workers cannot both see a free concurrency slot or lock.
  await lockClaims(tx);
  const [row] = rowsOf<ClaimedRow>(
    await tx.execute(sql`
      with candidate as (
        select candidate.id, candidate.started_at as earlier_start from runs candidate
        where ${startsFrom("start", sql`candidate.status`)} and ${startableNow("candidate")}
        order by candidate.id limit 1 for update skip locked),
      claimed as (
        update runs set status = 'running', started_at = coalesce(runs.started_at, now()), heartbeat_at = now(), worker_id = ${workerId}
        from candidate where runs.id = candidate.id
        returning runs.id, runs.params, runs.version_hash, runs.timeout_ms, runs.dry_run, runs.runbook_slug, runs.output_bytes,
          candidate.earlier_start is not null as continued)
      select claimed.id, claimed.params, claimed.version_hash, claimed.timeout_ms, claimed.dry_run, claimed.runbook_slug,
        version.definition, sealed.ciphertext, claimed.continued, claimed.output_bytes,
        case when claimed.continued then (select coalesce(max(seq), 0) from run_output where run_id = claimed.id) else 0 end as last_seq,
        exists (select 1 from runs waiting where waiting.status = 'queued' and waiting.id <> claimed.id) as more_queued
      from claimed
      join runbook_versions version on version.hash = claimed.version_hash
      left join run_secrets sealed on sealed.run_id = claimed.id`),
  );
  if (!row) return undefined;
  const id = Number(row.id);
  // A run taken up again after a person acted: its steps' events say what happens next.
  if (!row.continued) await recordAudit(tx, runStartedEvent({ id, versionHash: row.version_hash, runbookSlug: row.runbook_slug }, workerId));
  const secrets = row.ciphertext && secretKey ? openSecrets(row.ciphertext, secretKey) : {};
  return {
    id,
    definition: row.definition,
    versionHash: row.version_hash,
    params: { ...row.params, ...secrets },
    timeoutMs: Number(row.timeout_ms),
    dryRun: row.dry_run,
    moreQueued: row.more_queued,
    ...(row.continued ? { continued: { lastSeq: Number(row.last_seq), bytes: Number(row.output_bytes) } } : {}),
    notices: [runChanged(id)],
  };
}
