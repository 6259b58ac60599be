import { and, eq } from "drizzle-orm";
import { database } from "../../../db";
import type { Db } from "../../../db/client";
import { runSteps } from "../../../db/schema";
import { notFound } from "../../../errors";
import type { Actor } from "../../actor";
import { followRunOutput, type OutputFollower, type RunState } from "../read-output";

/** A step's lines in its run's output: from `first` to `last` (null while it runs; both null before it starts). */
interface StepWindow {
  first: number | null;
  last: number | null;
}

export async function stepWindow(db: Db, runId: number, stepId: string): Promise<StepWindow> {
  const [row] = await db
    .select({ first: runSteps.firstSeq, last: runSteps.lastSeq, status: runSteps.status })
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.stepId, stepId)));
  if (!row) throw notFound(`run ${runId} has no step "${stepId}"`);
  // A step skipped before it started, or a manual one that was ticked, ends where it began.
  const ended = !["pending", "running", "waiting"].includes(row.status);
  return { first: row.first, last: row.last ?? (ended ? (row.first ?? 0) : null) };
}

/**
 * The output of one step of a run, followed like the run's: lines of its window only, and the
 * follower reports the run as finished once the step has ended, so a stream of it ends there.
 */
export async function followStepOutput(actor: Actor, runId: number, stepId: string, resolveActor?: () => Promise<Actor | null>): Promise<{ follower: OutputFollower; afterSeq: number }> {
  const { db } = await database();
  const follower = await followRunOutput(actor, runId, resolveActor);
  let window: StepWindow;
  try {
    window = await stepWindow(db, runId, stepId);
  } catch (error) {
    follower.close();
    throw error;
  }
  const refresh = async () => {
    if (window.last === null) window = await stepWindow(db, runId, stepId);
  };
  const within = <T extends { seq: number }>(lines: T[]) => (window.first === null ? [] : lines.filter((line) => line.seq >= (window.first ?? 0) && (window.last === null || line.seq <= window.last)));
  // Ended once every line of the step is stored (its worker may still be storing the last ones).
  const stepState = async (state: RunState): Promise<RunState> => {
    if (state.finished || window.last === null) return state;
    return (await follower.lastSeq()) >= window.last ? { ...state, finished: true } : state;
  };
  const from = (afterSeq: number) => Math.max(afterSeq, (window.first ?? 1) - 1);
  return {
    afterSeq: from(0),
    follower: {
      ...follower,
      read: async (afterSeq, limit) => {
        await refresh();
        return window.first === null ? [] : within(await follower.read(from(afterSeq), limit));
      },
      readWithState: async (afterSeq, limit) => {
        await refresh();
        const state = await stepState(await follower.status());
        if (window.first === null) return { lines: [], state };
        return { lines: within(await follower.read(from(afterSeq), limit)), state };
      },
      lastSeq: async () => {
        await refresh();
        const last = await follower.lastSeq();
        return window.last === null ? last : Math.min(last, window.last);
      },
      status: async () => {
        await refresh();
        return await stepState(await follower.status());
      },
    },
  };
}
