import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runbooks, runs, users, type ApprovalDecision, type ApproverSet, type RequestChannel, type RunStatus } from "../../db/schema";
import { notFound } from "../../errors";
import { isActiveStatus } from "../../run-statuses";
import type { QueuePosition } from "./queue-position";
import type { StepDto } from "./steps/step-dto";
import { asRun, type AppAbility, type RunSubject } from "../../policy/ability";

export interface RunDto {
  id: number;
  runbook: { slug: string; version: string; title: string | null; risk: RunSubject["risk"] };
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  errorMessage: string | null;
  params: Record<string, unknown>;
  argv: string[];
  requestedBy: { id: string; email: string; name: string };
  requestedVia: RequestChannel;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** droppedBytes: printed after the per-run cap and not stored. */
  output: { lines: number; bytes: number; sha256: string | null; prunedAt: string | null; droppedBytes: number };
  canCancel: boolean;
  /** Set for a queued run when asked for one run: why it waits and its place in line. */
  queue?: QueuePosition;
  /** The run's own risk: its runbook's at request time, or higher when the requester raised it. */
  risk: RunSubject["risk"];
  reason: string | null;
  ticket: string | null;
  /** Ran in the runbook's dry-run mode. */
  dryRun: boolean;
  /** The dry run the approvers were shown. */
  attachedDryRunId: number | null;
  /** Null when the run needed no approval. `decisions` is filled when one run is asked for. */
  approval: { required: number; approvers: ApproverSet | null; expiresAt: string | null; decisions?: ApprovalDecisionDto[] } | null;
  /** Set when the run used break-glass; `review` once someone acknowledged it. */
  breakGlass: { justification: string; incident: string; review: { by: PersonDto | null; at: string; comment: string | null } | null } | null;
  /** Whether the asking user may approve or reject it now; set when one run is asked for. */
  canApprove?: boolean;
  /** Why they may not, when it is waiting for approval: "you requested this run…". */
  approvalRefusal?: string | null;
  /** Whether the asking user may acknowledge this run's break-glass use now. */
  canReviewBreakGlass?: boolean;
  /** A run of a runbook with steps, when one run is asked for: each step, in order. */
  steps?: StepDto[];
  /** Whether the asking user may resume this run of steps from where it stopped (one run asked for). */
  canResume?: boolean;
  /** Who has its live output open now (one run asked for, while it is active). */
  watchers?: PersonDto[];
  /** The run this one resumed, as a new attempt. */
  resumedFrom: number | null;
  /** The run whose `runbook:` step requested this one, and that step's position (from 0). */
  parent: { runId: number; stepPosition: number } | null;
  /** The schedule that fired this run, and the fire time it was for. */
  schedule: { id: number; scheduledFor: string } | null;
}

export interface PersonDto {
  id: string;
  email: string;
  name: string;
}

export interface ApprovalDecisionDto {
  by: PersonDto;
  decision: ApprovalDecision;
  comment: string;
  at: string;
}

export const runColumns = {
  run: runs,
  requester: { id: users.id, email: users.email, name: users.name },
  runbookTitle: runbooks.title,
  risk: runbooks.risk,
  owner: runbooks.owner,
  tags: runbooks.tags,
  environment: runbooks.environment,
};

export type RunRow = {
  run: typeof runs.$inferSelect;
  requester: { id: string; email: string; name: string };
  runbookTitle: string | null;
  risk: RunSubject["risk"] | null;
  owner: string | null;
  tags: string[] | null;
  environment: string | null;
};

export function runQuery(db: Db) {
  return db
    .select(runColumns)
    .from(runs)
    .innerJoin(users, eq(users.id, runs.requestedBy))
    .leftJoin(runbooks, eq(runbooks.slug, runs.runbookSlug));
}

/**
 * The run as policies see it. `view`, `cancel` and `read-output` judge the runbook's risk, as the
 * list filters in SQL do; `approve` judges the run's own (possibly raised) risk.
 */
export function runSubjectOf(row: RunRow, options: { ownRisk?: boolean } = {}) {
  return asRun({
    id: row.run.id,
    runbookSlug: row.run.runbookSlug,
    requestedBy: row.run.requestedBy,
    risk: options.ownRisk ? (row.run.risk ?? row.risk ?? "high") : (row.risk ?? "high"),
    owner: row.owner ?? "",
    tags: row.tags ?? [],
    environment: row.environment,
  });
}

export async function loadRun(db: Db, id: number): Promise<RunRow> {
  const [row] = await runQuery(db).where(eq(runs.id, id));
  if (!row) throw notFound(`no run ${id}`);
  return row;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toRunDto(row: RunRow, ability: AppAbility, queue?: QueuePosition): RunDto {
  const { run } = row;
  const reviewed = run.breakGlassReviewedAt;
  return {
    ...(queue ? { queue } : {}),
    id: run.id,
    runbook: { slug: run.runbookSlug, version: run.versionHash, title: row.runbookTitle, risk: row.risk ?? "high" },
    status: run.status,
    exitCode: run.exitCode,
    signal: run.signal,
    errorMessage: run.errorMessage,
    params: run.params,
    argv: run.argv,
    requestedBy: row.requester,
    requestedVia: run.requestedVia,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    output: { lines: run.outputLines, bytes: run.outputBytes, sha256: run.outputSha256, prunedAt: iso(run.outputPrunedAt), droppedBytes: run.outputDroppedBytes },
    canCancel: isActiveStatus(run.status) && run.cancelRequestedAt === null && ability.can("cancel", runSubjectOf(row)),
    risk: run.risk ?? row.risk ?? "high",
    reason: run.reason,
    ticket: run.ticket,
    dryRun: run.dryRun,
    attachedDryRunId: run.attachedDryRunId,
    approval: run.approvalsRequired > 0 ? { required: run.approvalsRequired, approvers: run.approvers, expiresAt: iso(run.approvalExpiresAt) } : null,
    resumedFrom: run.resumedFrom,
    parent: run.parentRunId !== null ? { runId: run.parentRunId, stepPosition: run.parentStepPosition ?? 0 } : null,
    schedule: run.scheduleId !== null ? { id: run.scheduleId, scheduledFor: run.scheduledFor?.toISOString() ?? "" } : null,
    breakGlass: run.breakGlassIncident
      ? {
          justification: run.breakGlassJustification ?? "",
          incident: run.breakGlassIncident,
          review: reviewed ? { by: null, at: reviewed.toISOString(), comment: run.breakGlassReviewComment } : null,
        }
      : null,
  };
}
