import { database } from "../../../db";
import { AppError, invalidInput } from "../../../errors";
import { statusLabel, type RunStatus } from "../../../run-statuses";
import { loadRunSteps, type ResumePlan } from "../../../runs/run-steps";
import type { Actor } from "../../actor";
import { loadVisibleRun } from "../visible-run";
import type { RunDto } from "../run-dto";
import { requestRunAndRow } from "../request-run";
import { authorizeStepAction, pinnedDefinition } from "./step-access";

/** How a run ended that a new attempt may take up from a step. */
export const resumableStatuses: readonly RunStatus[] = ["failed", "timed_out", "cancelled", "interrupted"];
const DONE = new Set(["succeeded", "skipped"]);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A new attempt at a run of steps that did not finish: the same pinned version and parameters,
 * requested by the caller as any run is (policy, risk, reason, confirmation and approvals all
 * apply), starting at the step that did not succeed, or at a later one named by `fromStep` (the
 * steps passed over are recorded as skipped, with the reason). The steps before it are carried
 * over as they ended, so later steps still read their outputs.
 */
export async function resumeRun(actor: Actor, runId: number, input: unknown): Promise<RunDto> {
  const { db } = await database();
  const { row, ability } = await loadVisibleRun(db, actor, runId);
  await authorizeStepAction(db, actor, ability, row, "resume", "(resume)");
  const definition = await pinnedDefinition(db, row.run.versionHash);
  const steps = definition.steps;
  if (!steps) throw new AppError("conflict", `run ${runId} runs one command, not steps: request it again instead`);
  if (!resumableStatuses.includes(row.run.status)) {
    throw new AppError("conflict", `run ${runId} is ${statusLabel(row.run.status)}; only a failed, timed-out, cancelled or interrupted run can be resumed`);
  }
  const secret = definition.parameters.find((parameter) => parameter.type === "secret" && row.run.params[parameter.name] !== undefined);
  if (secret) throw new AppError("conflict", `run ${runId} had the secret parameter ${secret.name}, which is not kept after a run: request a new run instead`);

  const body = isRecord(input) ? input : {};
  const { fromStep, params, ...safety } = body;
  if (params !== undefined) throw invalidInput("params", "a resumed run keeps the parameters of the run it resumes");
  if (fromStep !== undefined && typeof fromStep !== "string") throw invalidInput("fromStep", "fromStep must be a step id");

  const stored = await loadRunSteps(db, runId);
  // Where it stopped: the last step it reached, unless that one is done (then the next).
  const reached = stored.filter((step) => step.status !== "pending").at(-1);
  const stopped = !reached ? 0 : DONE.has(reached.status) ? reached.position + 1 : reached.position;
  if (stopped >= stored.length) throw new AppError("conflict", `every step of run ${runId} is done: there is nothing to resume`);
  const from = fromStep === undefined ? stopped : steps.findIndex((step) => step.id === fromStep);
  if (from < 0) throw invalidInput("fromStep", `the runbook has no step "${String(fromStep).slice(0, 100)}"`);
  const reason = typeof safety.reason === "string" ? safety.reason.trim() : "";
  if (from > stopped && reason.length < 3) {
    throw invalidInput("reason", `going on past step ${steps[stopped]?.id}, which did not succeed, needs a reason (at least 3 characters)`);
  }

  const carried: ResumePlan["carried"] = stored.slice(0, from).map((step) => {
    const passedOver = step.position >= stopped && !DONE.has(step.status);
    return {
      position: step.position,
      status: passedOver || step.status === "skipped" ? "skipped" : step.status === "succeeded" ? "succeeded" : "failed",
      outputs: step.outputs,
      message: passedOver ? `skipped on resuming run ${runId}: ${reason}` : `carried over from run ${runId}`,
      actedBy: passedOver ? actor.user.id : step.actedBy,
      note: passedOver ? reason : step.note,
    };
  });
  const plan: ResumePlan = { fromRunId: runId, fromStep: steps[from]?.id ?? "", versionHash: row.run.versionHash, definition, carried };
  const request = { ...safety, slug: row.run.runbookSlug, params: row.run.params, dryRun: row.run.dryRun };
  return (await requestRunAndRow(actor, request, { resume: plan })).run;
}
