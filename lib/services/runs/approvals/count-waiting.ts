import { and, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";
import { database } from "../../../db";
import { runApprovals, runs } from "../../../db/schema";
import type { AppAbility } from "../../../policy/ability";
import type { Actor } from "../../actor";
import { visibleRuns } from "../../access/visible";
import { runQuery } from "../run-dto";
import { approvalRefusal, breakGlassReviewRefusal } from "./approval-rules";

/**
 * How many runs wait for this person: requests they may approve now and break-glass runs they may
 * acknowledge. The same rules as the inbox, without building its DTOs: the nav shows it on every page.
 */
export async function countWaitingForMe(actor: Actor, ability: AppAbility): Promise<number> {
  const { db } = await database();
  const rows = await runQuery(db)
    .where(
      and(
        visibleRuns(ability),
        or(eq(runs.status, "pending_approval"), and(isNotNull(runs.breakGlassIncident), isNull(runs.breakGlassReviewedAt))),
      ),
    )
    .limit(200);
  const pendingIds = rows.filter((row) => row.run.status === "pending_approval").map((row) => row.run.id);
  const decided = pendingIds.length
    ? new Set(
        (
          await db
            .select({ runId: runApprovals.runId })
            .from(runApprovals)
            .where(and(eq(runApprovals.userId, actor.user.id), isNull(runApprovals.stepPosition), inArray(runApprovals.runId, pendingIds)))
        ).map((row) => row.runId),
      )
    : new Set<number>();
  return rows.filter((row) =>
    row.run.status === "pending_approval"
      ? approvalRefusal(actor, ability, row, decided.has(row.run.id)) === null
      : breakGlassReviewRefusal(actor, ability, row) === null,
  ).length;
}
