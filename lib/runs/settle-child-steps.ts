import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record";
import { rowsOf, type DatabaseHandle } from "../db/client";
import { finishedRunStatuses, type RunStatus } from "../run-statuses";
import { continueRun } from "./continue-run";
import { publishNotices, runChanged, runQueued } from "./notices";
import { countPageChange } from "./page-changes";
import { stepEvent } from "./run-steps";

interface DueStep {
  run_id: number | string;
  position: number;
  step_id: string;
  version_hash: string;
  runbook_slug: string;
  child_id: number | string;
  child_status: RunStatus;
  child_slug: string;
}

/**
 * Steps that waited for a run they requested (`runbook:`) whose run has ended: each ends as that
 * run did, and its run goes back to the queue, where the worker goes on to the next step, or ends
 * the run there when the step failed and says `onFailure: stop`. Safe to call from every worker
 * at once: a step is settled by whoever moves it out of `waiting` first.
 */
export async function settleChildSteps(handle: DatabaseHandle, workerId: string): Promise<number[]> {
  const finished = sql.join(
    finishedRunStatuses.map((status) => sql`${status}`),
    sql`, `,
  );
  const due = rowsOf<DueStep>(
    await handle.db.execute(sql`
      select s.run_id, s.position, s.step_id, p.version_hash, p.runbook_slug, c.id as child_id, c.status as child_status, c.runbook_slug as child_slug
      from run_steps s
      join runs c on c.id = s.child_run_id
      join runs p on p.id = s.run_id
      where s.status = 'waiting' and s.child_run_id is not null and p.status = 'waiting' and c.status in (${finished})`),
  );
  const settled: number[] = [];
  for (const step of due) {
    const runId = Number(step.run_id);
    const childId = Number(step.child_id);
    const message = `run #${childId} of ${step.child_slug} ${step.child_status.replace(/_/g, " ")}`;
    const moved = await handle.db.transaction(async (tx) => {
      const changed = rowsOf(
        await tx.execute(sql`
          update run_steps set status = ${step.child_status}, finished_at = now(), message = ${message}
          where run_id = ${runId} and position = ${step.position} and status = 'waiting' and child_run_id = ${childId} returning position`),
      );
      if (changed.length === 0) return false;
      await countPageChange(tx, runId);
      await continueRun(tx, runId);
      await recordAudit(
        tx,
        stepEvent(
          { type: "system", id: workerId },
          "step.finished",
          { id: runId, versionHash: step.version_hash, runbookSlug: step.runbook_slug },
          { id: step.step_id, position: step.position },
          { status: step.child_status, childRun: childId, runbook: step.runbook_slug, requested: step.child_slug },
          step.child_status === "succeeded" ? "success" : "failure",
        ),
      );
      return true;
    });
    if (!moved) continue;
    settled.push(runId);
    await publishNotices(handle, [runChanged(runId), runQueued(runId)]);
  }
  return settled;
}
