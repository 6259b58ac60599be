import { and, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";
import { database } from "../../../db";
import type { Db } from "../../../db/client";
import { runApprovals, runs, runSteps } from "../../../db/schema";
import type { AppAbility } from "../../../policy/ability";
import type { Actor } from "../../actor";
import { visibleRuns } from "../../access/visible";
import { runQuery } from "../run-dto";
import { approvalRefusal, breakGlassReviewRefusal, stepApprovalRefusal } from "./approval-rules";
import { waitsForStepApproval } from "./list-approvals";

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
  const runsAndBreakGlass = rows.filter((row) =>
    row.run.status === "pending_approval"
      ? approvalRefusal(actor, ability, row, decided.has(row.run.id)) === null
      : breakGlassReviewRefusal(actor, ability, row) === null,
  ).length;
  return runsAndBreakGlass + (await countStepsWaitingForMe(db, actor, ability));
}

/** Steps of runs under way that wait for an approval this person may give. */
async function countStepsWaitingForMe(db: Db, actor: Actor, ability: AppAbility): Promise<number> {
  const rows = await runQuery(db).where(and(visibleRuns(ability), waitsForStepApproval)).limit(200);
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.run.id);
  const steps = await db
    .select()
    .from(runSteps)
    .where(and(inArray(runSteps.runId, ids), eq(runSteps.status, "waiting"), isNull(runSteps.approvedAt)));
  const mine = await db
    .select({ runId: runApprovals.runId, position: runApprovals.stepPosition })
    .from(runApprovals)
    .where(and(eq(runApprovals.userId, actor.user.id), isNotNull(runApprovals.stepPosition), inArray(runApprovals.runId, ids)));
  return rows.filter((row) => {
    const step = steps.find((candidate) => candidate.runId === row.run.id && candidate.approvalsRequired > 0);
    if (!step) return false;
    const decided = mine.some((decision) => decision.runId === row.run.id && decision.position === step.position);
    return stepApprovalRefusal(actor, ability, row, { id: step.stepId, status: step.status, approvalsRequired: step.approvalsRequired, approvers: step.approvers, approvedAt: step.approvedAt }, decided) === null;
  }).length;
}
