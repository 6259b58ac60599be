import { database } from "../../db";
import { config } from "../../config/env";
import { AppError } from "../../errors";
import { cancelOrStopRun } from "../../runs/cancel";
import { publishNotices } from "../../runs/notices";
import { auditActorOf, type Actor } from "../actor";
import { authorizeLoaded } from "../authorize";
import { loadRun, toRunDto, type RunDto } from "./run-dto";
import { runThing } from "./visible-run";

/**
 * A queued run is cancelled at once; a running one is asked to stop and its worker kills the
 * whole process group, then records `cancelled`.
 */
export async function cancelRun(actor: Actor, runId: number): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const row = await loadRun(db, runId);
  const ability = await authorizeLoaded(db, actor, runThing(row), "cancel");
  const cancelled = await db.transaction((tx) =>
    cancelOrStopRun(tx, {
      runId,
      userId: actor.user.id,
      actor: auditActorOf(actor),
      versionHash: row.run.versionHash,
      details: { runbook: row.run.runbookSlug, previousStatus: row.run.status, via: actor.via },
      publicUrl: config().publicUrl,
    }),
  );
  if (cancelled.result === "nothing") {
    const current = await loadRun(db, runId);
    // Asking again while the process group is being stopped, or after it was, is not an error.
    if (current.run.status === "running" || current.run.status === "cancelled") return toRunDto(current, ability);
    throw new AppError("conflict", `run ${runId} has already finished (${current.run.status})`);
  }
  await publishNotices(handle, cancelled.notices);
  return toRunDto(await loadRun(db, runId), ability);
}
