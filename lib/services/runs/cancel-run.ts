import { and, eq, inArray, isNull } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { runs, runSecrets } from "../../db/schema";
import { config } from "../../env";
import { AppError } from "../../errors";
import { finishEventOf, notifyRunEvent } from "../../notifications/notify-run-event";
import { RUN_CANCEL_CHANNEL, RUN_EVENTS_CHANNEL } from "../../executor/channels";
import { auditActorOf, type Actor } from "../actor";
import { authorize, authorizeVisible } from "../authorize";
import { loadRun, runSubjectOf, toRunDto, type RunDto } from "./run-dto";

/**
 * A queued run is cancelled at once; a running one is asked to stop and its worker kills the
 * whole process group, then records `cancelled`.
 */
export async function cancelRun(actor: Actor, runId: number): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const row = await loadRun(db, runId);
  const check = { subjectType: "Run" as const, subject: runSubjectOf(row), subjectId: String(runId), label: String(runId) };
  const ability = await authorizeVisible(db, actor, { ...check, action: "view", notFoundMessage: `no run ${runId}` });
  await authorize(db, actor, { ...check, ability, action: "cancel" });
  const now = new Date();
  const outcome = await db.transaction(async (tx) => {
    const dequeued = await tx
      .update(runs)
      .set({ status: "cancelled", finishedAt: now, cancelRequestedAt: now, cancelledBy: actor.user.id })
      .where(and(eq(runs.id, runId), inArray(runs.status, ["queued", "pending_approval"])))
      .returning({ id: runs.id });
    const requested =
      dequeued.length > 0
        ? []
        : await tx
            .update(runs)
            .set({ cancelRequestedAt: now, cancelledBy: actor.user.id })
            .where(and(eq(runs.id, runId), eq(runs.status, "running"), isNull(runs.cancelRequestedAt)))
            .returning({ id: runs.id });
    if (dequeued.length === 0 && requested.length === 0) return "nothing";
    if (dequeued.length > 0) await tx.delete(runSecrets).where(eq(runSecrets.runId, runId));
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: dequeued.length > 0 ? "run.cancelled" : "run.cancel_requested",
      outcome: "success",
      subjectType: "run",
      subjectId: String(runId),
      versionHash: row.run.versionHash,
      details: { runbook: row.run.runbookSlug, previousStatus: row.run.status, via: actor.via },
    });
    // A run cancelled before it started never reaches a worker, so its notification is sent here.
    if (dequeued.length > 0) await notifyRunEvent(tx, finishEventOf("cancelled"), runId, config().publicUrl);
    return dequeued.length > 0 ? "cancelled" : "requested";
  });
  if (outcome === "nothing") {
    const current = await loadRun(db, runId);
    // Asking again while the process group is being stopped, or after it was, is not an error.
    if (current.run.status === "running" || current.run.status === "cancelled") return toRunDto(current, ability);
    throw new AppError("conflict", `run ${runId} has already finished (${current.run.status})`);
  }
  await handle.notify(outcome === "requested" ? RUN_CANCEL_CHANNEL : RUN_EVENTS_CHANNEL, String(runId));
  return toRunDto(await loadRun(db, runId), ability);
}
