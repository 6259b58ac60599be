import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runApprovals, runs, runSteps, users, type ApproverSet, type RunStatus, type StepStatus } from "../../../db/schema";
import { visibleRuns } from "../../access/visible";
import type { AppAbility } from "../../../policy/ability";
import { isActiveStatus } from "../../../run-statuses";
import type { ParameterDefinition } from "../../../runbooks/definition";
import { stepKind, type StepKind } from "../../../runbooks/steps";
import type { Actor } from "../../actor";
import { decisionRows } from "../approvals/approval-details";
import { stepApprovalRefusal } from "../approvals/approval-rules";
import { runQuery, type ApprovalDecisionDto, type PersonDto, type RunRow } from "../run-dto";
import { mayActOnSteps, pinnedDefinition } from "./step-access";

export interface StepDto {
  id: string;
  title: string;
  kind: StepKind;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  /** The run's output lines this step printed (seq, inclusive); null before it started. `last` is null while it runs. */
  lines: { first: number; last: number | null } | null;
  outputs: Record<string, string>;
  /** Why it was skipped or failed, or who completed it. */
  message: string | null;
  /** The person who ticked or skipped it, and what they wrote. */
  by: PersonDto | null;
  note: string | null;
  when: string | null;
  onFailure: string | null;
  /** For a manual step: its instructions (Markdown) and what ticking it asks for. */
  manual: { instructions: string; note: "optional" | "required"; value: ParameterDefinition | null } | null;
  canComplete: boolean;
  canSkip: boolean;
  /** For a step with `approval:`: how many must approve, who may, until when, and who decided what. */
  approval: { required: number; approvers: ApproverSet | null; expiresAt: string | null; approvedAt: string | null; decisions: ApprovalDecisionDto[] } | null;
  /** Whether the asking user may approve or reject it now, and why not while it waits for approval. */
  canApprove: boolean;
  approvalRefusal: string | null;
  /** A `runbook:` step: the runbook it requests, and the run it requested once reached (null when the viewer may not see that run). */
  runbook: { slug: string; run: { id: number; status: RunStatus } | null } | null;
}

/** The runs a run's `runbook:` steps requested that this viewer may see. */
async function childRunsOf(db: Db, ability: AppAbility, ids: number[]): Promise<Map<number, RunStatus>> {
  if (ids.length === 0) return new Map();
  const rows = await runQuery(db).where(and(inArray(runs.id, ids), visibleRuns(ability)));
  return new Map(rows.map((row) => [row.run.id, row.run.status]));
}

async function stepDecisions(db: Db, runId: number): Promise<Map<number, ApprovalDecisionDto[]>> {
  const byStep = new Map<number, ApprovalDecisionDto[]>();
  for (const row of await decisionRows(db, and(eq(runApprovals.runId, runId), isNotNull(runApprovals.stepPosition)))) {
    if (row.stepPosition !== null) byStep.set(row.stepPosition, [...(byStep.get(row.stepPosition) ?? []), row.dto]);
  }
  return byStep;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The steps of a run of steps, as the run page and the API show them; undefined for a one-command run. */
export async function stepsOfRun(db: Db, actor: Actor, row: RunRow, ability: AppAbility): Promise<StepDto[] | undefined> {
  const stored = await db
    .select({ step: runSteps, by: { id: users.id, email: users.email, name: users.name } })
    .from(runSteps)
    .leftJoin(users, eq(users.id, runSteps.actedBy))
    .where(eq(runSteps.runId, row.run.id))
    .orderBy(asc(runSteps.position));
  if (stored.length === 0) return undefined;
  const definitions = (await pinnedDefinition(db, row.run.versionHash)).steps ?? [];
  const mayAct = isActiveStatus(row.run.status) && mayActOnSteps(ability, row);
  const children = await childRunsOf(
    db,
    ability,
    stored.flatMap(({ step }) => (step.childRunId !== null ? [step.childRunId] : [])),
  );
  const decisions = stored.some(({ step }) => step.approvalsRequired > 0) ? await stepDecisions(db, row.run.id) : new Map<number, ApprovalDecisionDto[]>();
  return stored.map(({ step, by }) => {
    const definition = definitions[step.position];
    const kind = definition ? stepKind(definition) : "command";
    const waitedOn = row.run.status === "waiting" && step.status === "waiting";
    const decided = decisions.get(step.position) ?? [];
    const approvalState = { id: step.stepId, status: step.status, approvalsRequired: step.approvalsRequired, approvers: step.approvers, approvedAt: step.approvedAt };
    const refusal =
      step.approvalsRequired > 0 && waitedOn && !step.approvedAt ? stepApprovalRefusal(actor, ability, row, approvalState, decided.some((entry) => entry.by.id === actor.user.id)) : undefined;
    return {
      id: step.stepId,
      title: definition?.title ?? step.stepId,
      kind,
      status: step.status,
      attempts: step.attempts,
      startedAt: iso(step.startedAt),
      finishedAt: iso(step.finishedAt),
      durationMs: step.startedAt && step.finishedAt ? step.finishedAt.getTime() - step.startedAt.getTime() : null,
      exitCode: step.exitCode,
      lines: step.firstSeq === null ? null : { first: step.firstSeq, last: step.lastSeq },
      outputs: step.outputs,
      message: step.message,
      by: by?.id ? by : null,
      note: step.note,
      when: definition?.when ?? null,
      onFailure: definition?.onFailure ?? null,
      manual:
        definition?.manual !== undefined ? { instructions: definition.manual, note: definition.note ?? "optional", value: definition.value ?? null } : null,
      canComplete: mayAct && waitedOn && kind === "manual",
      canSkip: mayAct && (step.status === "pending" || (waitedOn && step.childRunId === null)),
      approval:
        step.approvalsRequired > 0
          ? { required: step.approvalsRequired, approvers: step.approvers, expiresAt: iso(step.approvalExpiresAt), approvedAt: iso(step.approvedAt), decisions: decided }
          : null,
      canApprove: refusal === null,
      runbook: definition?.runbook
        ? { slug: definition.runbook, run: step.childRunId !== null && children.has(step.childRunId) ? { id: step.childRunId, status: children.get(step.childRunId) as RunStatus } : null }
        : null,
      approvalRefusal: refusal?.message ?? null,
    };
  });
}
