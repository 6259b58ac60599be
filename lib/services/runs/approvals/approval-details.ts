import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runApprovals, users } from "../../../db/schema";
import type { AppAbility } from "../../../policy/ability";
import type { Actor } from "../../actor";
import { toRunDto, type ApprovalDecisionDto, type RunDto, type RunRow } from "../run-dto";
import { approvalRefusal, breakGlassReviewRefusal } from "./approval-rules";

/** Decisions on runs (and on their steps' approvals) matching `where`, oldest first, with who made each. */
export async function decisionRows(db: Db, where: SQL | undefined) {
  const rows = await db
    .select({
      runId: runApprovals.runId,
      stepPosition: runApprovals.stepPosition,
      decision: runApprovals.decision,
      comment: runApprovals.comment,
      at: runApprovals.createdAt,
      by: { id: users.id, email: users.email, name: users.name },
    })
    .from(runApprovals)
    .innerJoin(users, eq(users.id, runApprovals.userId))
    .where(where)
    .orderBy(asc(runApprovals.createdAt));
  return rows.map((row) => ({ runId: row.runId, stepPosition: row.stepPosition, dto: { by: row.by, decision: row.decision, comment: row.comment, at: row.at.toISOString() } satisfies ApprovalDecisionDto }));
}

async function decisionsOf(db: Db, runIds: number[]): Promise<Map<number, ApprovalDecisionDto[]>> {
  const byRun = new Map<number, ApprovalDecisionDto[]>();
  if (runIds.length === 0) return byRun;
  for (const row of await decisionRows(db, and(inArray(runApprovals.runId, runIds), isNull(runApprovals.stepPosition)))) {
    byRun.set(row.runId, [...(byRun.get(row.runId) ?? []), row.dto]);
  }
  return byRun;
}

async function reviewersOf(db: Db, rows: RunRow[]) {
  const ids = [...new Set(rows.flatMap((row) => (row.run.breakGlassReviewedBy ? [row.run.breakGlassReviewedBy] : [])))];
  if (ids.length === 0) return new Map<string, { id: string; email: string; name: string }>();
  const people = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids));
  return new Map(people.map((person) => [person.id, person]));
}

/**
 * Run DTOs with who decided what, and whether this actor may approve (or acknowledge a
 * break-glass use) now, with the reason when not.
 */
export async function withApprovalDetails(db: Db, actor: Actor, ability: AppAbility, rows: RunRow[], base: (row: RunRow) => RunDto = (row) => toRunDto(row, ability)): Promise<RunDto[]> {
  const decisions = await decisionsOf(
    db,
    rows.filter((row) => row.run.approvalsRequired > 0).map((row) => row.run.id),
  );
  const reviewers = await reviewersOf(db, rows);
  return rows.map((row) => {
    const dto = base(row);
    const decided = decisions.get(row.run.id) ?? [];
    const refusal = row.run.status === "pending_approval" ? approvalRefusal(actor, ability, row, decided.some((entry) => entry.by.id === actor.user.id)) : null;
    const reviewRefusal = row.run.breakGlassIncident && !row.run.breakGlassReviewedAt ? breakGlassReviewRefusal(actor, ability, row) : null;
    const reviewer = row.run.breakGlassReviewedBy ? (reviewers.get(row.run.breakGlassReviewedBy) ?? null) : null;
    return {
      ...dto,
      ...(dto.approval ? { approval: { ...dto.approval, decisions: decided } } : {}),
      ...(dto.breakGlass?.review ? { breakGlass: { ...dto.breakGlass, review: { ...dto.breakGlass.review, by: reviewer } } } : {}),
      canApprove: row.run.status === "pending_approval" && refusal === null,
      approvalRefusal: refusal?.message ?? null,
      canReviewBreakGlass: Boolean(row.run.breakGlassIncident && !row.run.breakGlassReviewedAt && reviewRefusal === null),
    };
  });
}
