import { and, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { database } from "../../../db";
import { runs } from "../../../db/schema";
import type { Actor } from "../../actor";
import { visibleRuns } from "../../access/visible";
import { authorize } from "../../authorize";
import { runQuery, toRunDto, type RunDto } from "../run-dto";
import { stepsOfRun, type StepDto } from "../steps/step-dto";
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

/** A run of steps that waits for approval of one of its steps. */
export interface StepApprovalRequest {
  run: RunDto;
  step: StepDto;
}

export interface ApprovalInbox {
  /** Requests this user may approve or reject now. */
  toDecide: RunDto[];
  /** Every other request they can see that is still waiting (their own among them), with why they can't decide. */
  waiting: RunDto[];
  /** Steps of runs under way that wait for approval (`approval:` on a step), each with whether this user may decide. */
  steps: StepApprovalRequest[];
}

/** Visible runs of steps stopped at a step that waits for approval. */
export const waitsForStepApproval = sql`${runs.status} = 'waiting' and exists (select 1 from run_steps s where s.run_id = ${runs.id} and s.status = 'waiting' and s.approvals_required > 0 and s.approved_at is null)`;

async function stepApprovalRequests(actor: Actor): Promise<StepApprovalRequest[]> {
  const { db } = await database();
  const ability = await authorize(db, actor, { action: "view", subjectType: "Run" });
  const rows = await runQuery(db)
    .where(and(visibleRuns(ability), waitsForStepApproval))
    .orderBy(desc(runs.id))
    .limit(LIMIT);
  const requests: StepApprovalRequest[] = [];
  for (const row of rows) {
    const step = (await stepsOfRun(db, actor, row, ability))?.find((candidate) => candidate.status === "waiting" && candidate.approval && !candidate.approval.approvedAt);
    if (step) requests.push({ run: toRunDto(row, ability), step });
  }
  return requests;
}

/** Runs waiting for approval that this user can see, split by whether they can decide on them, and steps that wait for approval. */
export async function listApprovalInbox(actor: Actor): Promise<ApprovalInbox> {
  const [pending, steps] = await Promise.all([visibleRunsWhere(actor, eq(runs.status, "pending_approval")), stepApprovalRequests(actor)]);
  return { toDecide: pending.filter((run) => run.canApprove), waiting: pending.filter((run) => !run.canApprove), steps };
}

/** Break-glass runs: those still to acknowledge, or (reviewed) the acknowledged ones, newest first. */
export async function listBreakGlassRuns(actor: Actor, options: { reviewed: boolean }): Promise<RunDto[]> {
  return visibleRunsWhere(
    actor,
    and(isNotNull(runs.breakGlassIncident), options.reviewed ? isNotNull(runs.breakGlassReviewedAt) : isNull(runs.breakGlassReviewedAt)) as SQL,
  );
}
