import type { DatabaseHandle, Db } from "../db/client";
import { RUN_CANCEL_CHANNEL, RUN_EVENTS_CHANNEL, RUN_QUEUED_CHANNEL } from "./channels";

/**
 * What other processes are told once a transaction that moved a run has committed: viewers follow
 * run events, workers wake on the queue, a cancel reaches the process running the run. Sent only
 * after commit, so nobody reads a change that is not there yet.
 */
export interface RunNotice {
  channel: typeof RUN_EVENTS_CHANNEL | typeof RUN_QUEUED_CHANNEL | typeof RUN_CANCEL_CHANNEL;
  runId: number;
}

export const runChanged = (runId: number): RunNotice => ({ channel: RUN_EVENTS_CHANNEL, runId });
export const runQueued = (runId: number): RunNotice => ({ channel: RUN_QUEUED_CHANNEL, runId });
export const stopRequested = (runId: number): RunNotice => ({ channel: RUN_CANCEL_CHANNEL, runId });

export async function publishNotices(handle: DatabaseHandle, notices: readonly RunNotice[]): Promise<void> {
  for (const notice of notices) await handle.notify(notice.channel, String(notice.runId));
}

/**
 * Runs `work` in one transaction; the notices it collects (moves made deep inside, such as approvals
 * a new runbook version expires) are published once the transaction has committed, never if it fails.
 */
export async function transactionWithNotices<T>(handle: DatabaseHandle, work: (tx: Db, notices: RunNotice[]) => Promise<T>): Promise<T> {
  const notices: RunNotice[] = [];
  const result = await handle.db.transaction((tx) => work(tx, notices));
  await publishNotices(handle, notices);
  return result;
}
