import { inArray } from "drizzle-orm";
import { appendAudit, lockAuditChain, readAuditHead, type AuditEventInput } from "../../audit/record";
import { config } from "../../config/env";
import type { DatabaseHandle } from "../../db";
import type { Db } from "../../db/client";
import { runs, schedules } from "../../db/schema";
import { anyActiveWebhook, notifyRunEvent } from "../../notifications/notify-run-event";
import { publishNotices, runQueued } from "../../runs/notices";
import { insertRunSteps } from "../../runs/run-steps";
import { FireTakenError, recordRunFires, type ScheduledFire } from "../../schedules/fire-records";
import { requestedAuditEvents, runRowValues, type PreparedRun } from "../runs/prepare-run";

/** A fire that may start its run: the schedule's owner was authorised and the request checked. */
export interface PreparedFire {
  fire: ScheduledFire;
  prepared: PreparedRun;
}

/**
 * Which of these fires this transaction may record: their schedules locked here (one another
 * process is firing is skipped, never waited for) and still at the revision and fire time read.
 */
async function lockStandingFires(tx: Db, fires: readonly PreparedFire[]): Promise<PreparedFire[]> {
  const ids = fires.map(({ fire }) => fire.scheduleId);
  const locked = await tx
    .select({ id: schedules.id, revision: schedules.revision, nextFireAt: schedules.nextFireAt })
    .from(schedules)
    .where(inArray(schedules.id, ids))
    .orderBy(schedules.id)
    .for("update", { skipLocked: true });
  const standing = new Map(locked.map((row) => [row.id, row]));
  return fires.filter(({ fire }) => {
    const row = standing.get(fire.scheduleId);
    return row !== undefined && row.revision === fire.revision && row.nextFireAt?.getTime() === fire.dueAt.getTime();
  });
}

/**
 * Starts the runs of many fires in one transaction: their runs, fire rows and schedules' next
 * times, then their audit events under one hold of the chain's lock, and their webhook events.
 * A fire is recorded at most once (lib/schedules/fire-records.ts): should any of them have been
 * taken after all, FireTakenError rolls the whole batch back. Returns the run started per schedule.
 */
export async function commitFires(handle: DatabaseHandle, fires: readonly PreparedFire[]): Promise<Map<number, number>> {
  if (fires.length === 0) return new Map();
  const { publicUrl } = config();
  const started = await handle.db.transaction(async (tx) => {
    const standing = await lockStandingFires(tx, fires);
    if (standing.length === 0) return [];
    const inserted = await tx
      .insert(runs)
      .values(standing.map(({ prepared }) => runRowValues(prepared)))
      .returning({ id: runs.id, scheduleId: runs.scheduleId, status: runs.status });
    const runOf = new Map(inserted.map((run) => [run.scheduleId, run]));
    const created = standing.map((fire) => {
      const run = runOf.get(fire.fire.scheduleId);
      if (!run) throw new FireTakenError(fire.fire);
      return { ...fire, run };
    });
    const withSteps = created.filter(({ prepared }) => prepared.definition.steps);
    // Independent statements of one transaction, sent without waiting for each other's answers.
    const [hooks] = await Promise.all([
      anyActiveWebhook(tx),
      recordRunFires(tx, created.map(({ fire, run }) => ({ fire, runId: run.id }))),
      ...withSteps.map(({ prepared, run }) => insertRunSteps(tx, run.id, prepared.definition.steps ?? [], prepared.pinnedChildren)),
    ]);
    await lockAuditChain(tx);
    const head = await readAuditHead(tx);
    const events = created.flatMap(({ prepared, run }) => requestedAuditEvents(prepared, run.id)) as [AuditEventInput, ...AuditEventInput[]];
    await Promise.all([
      appendAudit(tx, head, ...events),
      ...(hooks ? created.map(({ run }) => notifyRunEvent(tx, "run.requested", run.id, publicUrl)) : []),
      ...(hooks ? created.filter(({ prepared }) => prepared.pending).map(({ run }) => notifyRunEvent(tx, "run.approval_needed", run.id, publicUrl)) : []),
    ]);
    return created.map(({ fire, run }) => ({ scheduleId: fire.scheduleId, runId: run.id, queued: run.status === "queued" }));
  });
  // A worker woken takes queued runs until its slots are full: one notice wakes them all.
  const firstQueued = started.find((run) => run.queued);
  if (firstQueued) await publishNotices(handle, [runQueued(firstQueued.runId)]);
  return new Map(started.map((run) => [run.scheduleId, run.runId]));
}
