import { sql } from "drizzle-orm";
import { recordAudit, type AuditEventInput } from "../audit/record";
import { rowsOf, type Db } from "../db/client";
import { assertMove, startsFrom } from "./moves";
import { recountOutputTotals } from "./output-totals";
import { runChanged, type RunNotice } from "./notices";
import { notifyRunEvent } from "../notifications/notify-run-event";

/**
 * The `wait` move: a run of steps reached a step that waits for a person (to tick it, or to approve it). Its worker lets it go (no
 * process, no slot, no heartbeat); its sealed secrets stay for the steps still to come. Null when
 * the run was no longer this worker's (recovery got there first); "cancel" when someone asked to
 * cancel it meanwhile: the worker then finishes it as cancelled.
 */
export async function waitForPerson(
  tx: Db,
  wait: { runId: number; workerId: string; step: { id: string; title: string; needs: "person" | "approval" | "runbook" }; publicUrl: string },
  events: AuditEventInput[],
): Promise<RunNotice[] | "cancel" | null> {
  const { runId, workerId } = wait;
  assertMove("wait", "waiting");
  const updated = rowsOf(
    await tx.execute(sql`
      update runs set status = 'waiting', worker_id = null, heartbeat_at = null,
        process_host = null, process_id = null, process_start_time = null, process_uid = null
      where id = ${runId} and ${startsFrom("wait")} and worker_id = ${workerId} and cancel_requested_at is null returning id`),
  );
  if (updated.length === 0) {
    const [still] = rowsOf<{ cancel: boolean }>(
      await tx.execute(sql`select cancel_requested_at is not null as cancel from runs where id = ${runId} and ${startsFrom("wait")} and worker_id = ${workerId}`),
    );
    return still?.cancel ? "cancel" : null;
  }
  await recountOutputTotals(tx, runId);
  const [first, ...rest] = events;
  if (first) await recordAudit(tx, first, ...rest);
  // Waiting for a run it requested needs nobody (that run's own events tell who is needed).
  if (wait.step.needs !== "runbook") await notifyRunEvent(tx, "run.waiting", runId, wait.publicUrl, { step: { id: wait.step.id, title: wait.step.title, needs: wait.step.needs } });
  return [runChanged(runId)];
}
