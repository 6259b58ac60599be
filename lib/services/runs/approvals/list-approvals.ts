import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { database } from "../../../db";
import { runs } from "../../../db/schema";
import type { Actor } from "../../actor";
import { visibleRuns } from "../../access/visible";
import { authorize } from "../../authorize";
import { runQuery, type RunDto } from "../run-dto";
import { withApprovalDetails } from "./approval-details";

const LIMIT = 200;

async function visibleRunsWhere(actor: Actor, condition: SQL) {
  const { db } = await database();
  const ability = await authorize(db, actor, { action: "view", subjectType: "Run" });
  const rows = await runQuery(db)
    .where(and(visibleRuns(ability), condition))
    .orderBy(desc(runs.id))
    .limit(LIMIT);
  return withApprovalDetails(db, actor, ability, rows);
}

export interface ApprovalInbox {
  /** Requests this user may approve or reject now. */
  toDecide: RunDto[];
  /** Every other request they can see that is still waiting (their own among them), with why they can't decide. */
  waiting: RunDto[];
}

/** Runs waiting for approval that this user can see, split by whether they can decide on them. */
export async function listApprovalInbox(actor: Actor): Promise<ApprovalInbox> {
  const pending = await visibleRunsWhere(actor, eq(runs.status, "pending_approval"));
  return { toDecide: pending.filter((run) => run.canApprove), waiting: pending.filter((run) => !run.canApprove) };
}

/** Break-glass runs: those still to acknowledge, or (reviewed) the acknowledged ones, newest first. */
export async function listBreakGlassRuns(actor: Actor, options: { reviewed: boolean }): Promise<RunDto[]> {
  return visibleRunsWhere(
    actor,
    and(isNotNull(runs.breakGlassIncident), options.reviewed ? isNotNull(runs.breakGlassReviewedAt) : isNull(runs.breakGlassReviewedAt)) as SQL,
  );
}
