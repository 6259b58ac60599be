import { eq } from "drizzle-orm";
import { database } from "../../db";
import { finishedRunStatuses, runs, type RunStatus } from "../../db/schema";
import { RUN_EVENTS_CHANNEL } from "../../runs/channels";
import { AnnouncedLines, onStoredLines, type OutputLine } from "../../runs/stored-lines";
import type { Actor } from "../actor";
import { authorizeLoaded } from "../authorize";
import type { RunRow } from "./run-dto";
import { runThing } from "./visible-run";
import { authorizeRunOutput, runOutputStillReadable } from "./authorize-output";
import { lastOutputSeq, storedLines, storedLinesAndState } from "./read-output-range";

export type { OutputLine };

export interface RunState {
  status: RunStatus;
  exitCode: number | null;
  finished: boolean;
  /** Grows with each change its page shows beyond the status: a step, a note, who is watching. */
  pageChanges: number;
}

export interface OutputFollower {
  /** Lines after `afterSeq`, oldest first, at most `limit`. */
  read(afterSeq: number, limit: number): Promise<OutputLine[]>;
  /**
   * `read` and `status` in one round trip, from one snapshot: when `state` is final and fewer than
   * `limit` lines came back, there is no line after them. Saves a query on every wake-up, which
   * on the embedded database is time taken from the worker starting the run. Without `state` when
   * the lines came from this process's worker as it stored them (no query at all).
   */
  readWithState?(afterSeq: number, limit: number): Promise<{ lines: OutputLine[]; state?: RunState }>;
  /** The highest seq stored so far (0 for none). */
  lastSeq(): Promise<number>;
  status(): Promise<RunState>;
  /** Resolves when new output or a status change may be available, or after `timeoutMs`. */
  waitForChange(timeoutMs: number): Promise<void>;
  /**
   * Whether whoever opened the follower may still read the output, resolving their token or session
   * again: null if so, else why not. Always null when the follower was opened without a resolver.
   */
  stillAllowed(): Promise<string | null>;
  close(): void;
}

/**
 * Authorises once, then gives the caller a follower that reads the store and is woken by
 * notifications: every viewer on every instance reads the same persisted bytes.
 */
export async function followRunOutput(actor: Actor, runId: number, resolveActor?: () => Promise<Actor | null>, loaded?: RunRow): Promise<OutputFollower> {
  const handle = await database();
  const { db } = handle;
  // A run this request has just created is judged as it was committed, without reading it back.
  if (loaded?.run.id === runId) await authorizeLoaded(db, actor, runThing(loaded), "read-output");
  else await authorizeRunOutput(db, actor, runId);
  let wake: (() => void) | undefined;
  // Set by a notification that arrives while the caller is busy, so the next wait returns at once.
  let changed = false;
  const announced = new AnnouncedLines();
  const stopAnnounced = onStoredLines(runId, (lines) => {
    announced.add(lines);
    changed = true;
    wake?.();
  });
  const unsubscribe = await handle.subscribe(RUN_EVENTS_CHANNEL, (payload) => {
    if (Number(payload) !== runId) return;
    changed = true;
    wake?.();
  });
  return {
    read: async (afterSeq, limit) => {
      changed = false;
      const held = announced.take(afterSeq, limit);
      return held.length > 0 ? held : storedLines(db, runId, afterSeq, limit);
    },
    readWithState: async (afterSeq, limit) => {
      changed = false;
      const held = announced.take(afterSeq, limit);
      if (held.length > 0) return { lines: held };
      const found = await storedLinesAndState(db, runId, afterSeq, limit);
      if (!found) throw new Error(`run ${runId} vanished while being followed`);
      return found;
    },
    lastSeq: () => lastOutputSeq(db, runId),
    // Asked on every idle turn of a stream: the two columns it needs, not the run's whole view.
    status: async () => {
      const [run] = await db.select({ status: runs.status, exitCode: runs.exitCode, pageChanges: runs.pageChanges }).from(runs).where(eq(runs.id, runId));
      if (!run) throw new Error(`run ${runId} vanished while being followed`);
      return { status: run.status, exitCode: run.exitCode, finished: finishedRunStatuses.includes(run.status), pageChanges: run.pageChanges };
    },
    waitForChange: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (changed) {
          changed = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    stillAllowed: async () => {
      if (!resolveActor) return null;
      const current = await resolveActor();
      if (!current) return "the session or token this stream was opened with is no longer valid";
      return runOutputStillReadable(db, current, runId);
    },
    close: () => {
      wake?.();
      stopAnnounced();
      unsubscribe();
    },
  };
}
