import { and, eq } from "drizzle-orm";
import { database } from "../../../db";
import type { Db } from "../../../db/client";
import { apiTokens, runs, runSteps, runbookVersions } from "../../../db/schema";
import { AppError } from "../../../errors";
import type { RunbookDefinition } from "../../../runbooks/definition";
import type { ParamValues } from "../../../runbooks/params";
import { childParams } from "../../../runbooks/step-invocation";
import type { Actor } from "../../actor";
import { personNow } from "../../actor-now";
import { requestRunAndRow } from "../request-run";
import { pinnedDefinition } from "./step-access";

/** How many runs deep runbook steps may nest: a run, a run its step requested, and one that one's step requested. */
export const MAX_NESTING = 3;

export type ChildRunOutcome = { ok: true; childRunId: number } | { ok: false; message: string };

/** How many runs above this one requested it through a step. */
async function nestingDepth(db: Db, parentRunId: number | null): Promise<number> {
  let depth = 0;
  for (let id = parentRunId; id !== null && depth <= MAX_NESTING; depth++) {
    const [above] = await db.select({ parent: runs.parentRunId }).from(runs).where(eq(runs.id, id));
    id = above?.parent ?? null;
  }
  return depth;
}

/**
 * The requester of a run, as they are now: a deactivated person requests nothing more, and a run
 * requested with a token asks again within that token's scopes, while it is still valid.
 */
async function requesterNow(db: Db, run: typeof runs.$inferSelect): Promise<Actor | string> {
  const person = await personNow(db, run.requestedBy, run.requestedVia);
  if (typeof person === "string" || !run.tokenId) return person;
  const base = person.user;
  const [token] = await db.select().from(apiTokens).where(eq(apiTokens.id, run.tokenId));
  if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) return `the token that requested run ${run.id} is no longer valid`;
  return { user: base, via: run.requestedVia, tokenId: token.id, scopes: token.scopes };
}

/**
 * What a `runbook:` step does when the worker reaches it: a full request of the runbook it names,
 * at the version pinned when the run was requested, by the run's requester as they are now, with
 * the parameters the step maps from the run's and from earlier steps' outputs. Policy, risk, the
 * reason and approval all apply; the new run is linked to the step, which waits for it. A refusal
 * is returned, with why, for the step to fail with.
 */
export async function requestChildRun(parentRunId: number, position: number): Promise<ChildRunOutcome> {
  const { db } = await database();
  const [parent] = await db.select().from(runs).where(eq(runs.id, parentRunId));
  const steps = await db.select().from(runSteps).where(eq(runSteps.runId, parentRunId));
  const row = steps.find((candidate) => candidate.position === position);
  if (!parent || !row?.childVersionHash) return { ok: false, message: `run ${parentRunId} has no runbook step at position ${position}` };
  const step = (await pinnedDefinition(db, parent.versionHash)).steps?.[position];
  if (!step?.runbook) return { ok: false, message: `step ${row.stepId} runs no runbook` };
  if ((await nestingDepth(db, parent.parentRunId)) + 1 >= MAX_NESTING) {
    return { ok: false, message: `runbook steps nest at most ${MAX_NESTING} runs deep, and run ${parentRunId} is the last of them` };
  }
  const actor = await requesterNow(db, parent);
  if (typeof actor === "string") return { ok: false, message: `cannot request runbook ${step.runbook}: ${actor}` };
  const [version] = await db.select({ definition: runbookVersions.definition }).from(runbookVersions).where(and(eq(runbookVersions.hash, row.childVersionHash)));
  if (!version) return { ok: false, message: `the pinned version of runbook ${step.runbook} is missing` };
  const outputs = Object.fromEntries(steps.map((candidate) => [candidate.stepId, candidate.outputs]));
  const params = childParams(step, parent.params as ParamValues, outputs);
  try {
    const { run } = await requestRunAndRow(
      actor,
      { slug: step.runbook, params, ...(parent.reason ? { reason: parent.reason } : {}), ...(parent.ticket ? { ticket: parent.ticket } : {}) },
      { child: { parentRunId, position, stepId: row.stepId, versionHash: row.childVersionHash, definition: version.definition as RunbookDefinition } },
    );
    return { ok: true, childRunId: run.id };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, message: `runbook ${step.runbook} was refused: ${error.message}` };
    throw error;
  }
}
