import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../../../audit/record";
import { database } from "../../../db";
import { runs } from "../../../db/schema";
import { AppError } from "../../../errors";
import { publishNotices, runChanged } from "../../../runs/notices";
import { auditActorOf, type Actor } from "../../actor";
import { loadVisibleRun } from "../visible-run";
import { getRun } from "../get-run";
import type { RunDto } from "../run-dto";
import { breakGlassReviewRefusal, throwRefusal } from "./approval-rules";
import { breakGlassReviewInput } from "./decision-fields";
import { parseInput } from "../../fields";

/**
 * Acknowledges a break-glass run after the fact: someone allowed to approve it, never the person
 * who broke the glass, records what they checked. The run leaves the review queue.
 */
export async function reviewBreakGlass(actor: Actor, runId: number, input: unknown): Promise<RunDto> {
  const handle = await database();
  const { db } = handle;
  const { row, ability } = await loadVisibleRun(db, actor, runId);
  const refusal = breakGlassReviewRefusal(actor, ability, row);
  if (refusal) await throwRefusal(db, actor, row, "run.break_glass_reviewed", refusal);
  const { comment } = parseInput(breakGlassReviewInput, input ?? {});
  const reviewed = await db.transaction(async (tx) => {
    const updated = await tx
      .update(runs)
      .set({ breakGlassReviewedBy: actor.user.id, breakGlassReviewedAt: sql`now()`, breakGlassReviewComment: comment })
      .where(and(eq(runs.id, runId), isNull(runs.breakGlassReviewedAt)))
      .returning({ id: runs.id });
    if (updated.length === 0) return false;
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "run.break_glass_reviewed",
      outcome: "success",
      subjectType: "run",
      subjectId: String(runId),
      versionHash: row.run.versionHash,
      details: { runbook: row.run.runbookSlug, comment, incident: row.run.breakGlassIncident, status: row.run.status, via: actor.via },
    });
    return true;
  });
  if (!reviewed) throw new AppError("conflict", `run ${runId}'s break-glass use was already acknowledged`);
  await publishNotices(handle, [runChanged(runId)]);
  return getRun(actor, runId);
}
