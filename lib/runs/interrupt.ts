import { sql, type SQL } from "drizzle-orm";
import { recordAudit } from "../audit/record";
import { rowsOf, type Db } from "../db/client";
import { notifyRunEvent } from "../notifications/notify-run-event";
import { startsFrom } from "./moves";
import { recountOutputTotals } from "./output-totals";
import { endCurrentStep } from "./run-steps";
import { runChanged, type RunNotice } from "./notices";

export interface Interruption {
  runId: number;
  runbookSlug: string;
  versionHash: string;
  workerId: string | null;
  /** Who noticed: the recovering worker or process. */
  recoveredBy: string;
  /** The condition that makes the run stale, checked again in the update so only one recoverer records it. */
  stillStale: SQL;
  killedLeftoverProcesses: boolean;
  publicUrl: string;
}

/**
 * The `interrupt` move, by recovery: the run's worker stopped heartbeating. Keeps the output it
 * had, adds a closing line that says why, computes the totals the dead worker never recorded, and
 * audits it, in the caller's transaction. Null when another recoverer (or the worker) got there first.
 */
export async function interruptRun(tx: Db, interruption: Interruption): Promise<RunNotice[] | null> {
  const id = interruption.runId;
  const message = `interrupted: worker ${interruption.workerId ?? "?"} stopped responding; the output up to here was kept`;
  const updated = rowsOf(
    await tx.execute(sql`
      update runs set status = 'interrupted', finished_at = now(), error_message = ${message}
      where id = ${id} and ${startsFrom("interrupt")} and ${interruption.stillStale} returning id`),
  );
  if (updated.length === 0) return null;
  await tx.execute(sql`
    insert into run_output (run_id, seq, stream, at, line)
    select ${id}, coalesce(max(seq), 0) + 1, 'system', now(), ${message} from run_output where run_id = ${id}`);
  await tx.execute(sql`delete from run_secrets where run_id = ${id}`);
  // The worker died before recording its totals: compute them from what was persisted.
  await recountOutputTotals(tx, id);
  await endCurrentStep(tx, id, "interrupted", message);
  await recordAudit(tx, {
    actor: { type: "system", id: interruption.recoveredBy },
    action: "run.interrupted",
    outcome: "failure",
    subjectType: "run",
    subjectId: String(id),
    versionHash: interruption.versionHash,
    details: {
      runbook: interruption.runbookSlug,
      workerId: interruption.workerId,
      reason: "stale heartbeat",
      ...(interruption.killedLeftoverProcesses ? { killedLeftoverProcesses: true } : {}),
    },
  });
  await notifyRunEvent(tx, "run.failed", id, interruption.publicUrl);
  return [runChanged(id)];
}
