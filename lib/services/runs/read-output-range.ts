import { and, asc, eq, gt, sql } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { finishedRunStatuses, runOutput, runs, type RunStatus } from "../../db/schema";
import type { Actor } from "../actor";
import { authorizeRunOutput } from "./authorize-output";
import type { OutputLine, RunState } from "./read-output";
import { stepWindow } from "./steps/step-output";

export const MAX_RANGE_LINES = 2000;

export interface OutputRange {
  /** Stored lines with `seq >= from`, oldest first, at most `limit`. */
  lines: OutputLine[];
  /** The highest seq stored so far (seqs are dense, so also the line count); 0 when there is none. */
  lastSeq: number;
  status: RunStatus;
  /** Set when the retention policy removed this run's lines. */
  outputPrunedAt: string | null;
}

/** Highest stored seq of a run: one step down the (run_id, seq) primary key. */
export async function lastOutputSeq(db: Db, runId: number): Promise<number> {
  const [row] = await db
    .select({ seq: runOutput.seq })
    .from(runOutput)
    .where(eq(runOutput.runId, runId))
    .orderBy(sql`${runOutput.seq} desc`)
    .limit(1);
  return row?.seq ?? 0;
}

/** Stored lines with `seq > afterSeq`, oldest first, at most `limit`: a walk along the (run_id, seq) key. */
export async function storedLines(db: Db, runId: number, afterSeq: number, limit: number): Promise<OutputLine[]> {
  const rows = await db
    .select({ seq: runOutput.seq, stream: runOutput.stream, at: runOutput.at, line: runOutput.line })
    .from(runOutput)
    .where(and(eq(runOutput.runId, runId), gt(runOutput.seq, afterSeq)))
    .orderBy(asc(runOutput.seq))
    .limit(limit);
  return rows.map((line) => ({ ...line, at: line.at.toISOString() }));
}

/**
 * Stored lines with `seq > afterSeq` (oldest first, at most `limit`) and the run's status, in one
 * statement. One statement sees one snapshot: when the status is final, every line the run will
 * ever have is already stored, so an empty answer with a final status means the output is complete.
 * Null when the run does not exist.
 */
export async function storedLinesAndState(db: Db, runId: number, afterSeq: number, limit: number): Promise<{ lines: OutputLine[]; state: RunState } | null> {
  const window = db
    .select({ seq: runOutput.seq, stream: runOutput.stream, at: runOutput.at, line: runOutput.line })
    .from(runOutput)
    .where(and(eq(runOutput.runId, runId), gt(runOutput.seq, afterSeq)))
    .orderBy(asc(runOutput.seq))
    .limit(limit)
    .as("window");
  const rows = await db
    .select({ status: runs.status, exitCode: runs.exitCode, pageChanges: runs.pageChanges, seq: window.seq, stream: window.stream, at: window.at, line: window.line })
    .from(runs)
    .leftJoin(window, sql`true`)
    .where(eq(runs.id, runId))
    .orderBy(asc(window.seq));
  const [first] = rows;
  if (!first) return null;
  const lines: OutputLine[] = [];
  for (const row of rows) {
    if (row.seq !== null && row.stream !== null && row.at !== null && row.line !== null) lines.push({ seq: row.seq, stream: row.stream, at: row.at.toISOString(), line: row.line });
  }
  return { lines, state: { status: first.status, exitCode: first.exitCode, finished: finishedRunStatuses.includes(first.status), pageChanges: first.pageChanges } };
}

/** A window of a run's output, for viewers that page through it rather than stream all of it. */
export async function readOutputRange(actor: Actor, runId: number, range: { from: number; limit: number; step?: string | undefined }): Promise<OutputRange> {
  const { db } = await database();
  // The status is read before the lines: the worker stores every line before it records a final
  // status, so a final status here means lastSeq below is final too.
  const { run } = await authorizeRunOutput(db, actor, runId);
  // One step's lines: the range is cut to its window (nothing before it starts).
  const window = range.step ? await stepWindow(db, runId, range.step) : { first: 1, last: null };
  const from = Math.max(range.from, window.first ?? Number.MAX_SAFE_INTEGER);
  const limit = Math.min(Math.max(range.limit, 1), MAX_RANGE_LINES, window.last === null ? MAX_RANGE_LINES : Math.max(window.last - from + 1, 0));
  const lines = window.first === null || limit === 0 ? [] : await storedLines(db, runId, from - 1, limit);
  const stored = await lastOutputSeq(db, runId);
  const lastSeq = window.last === null ? stored : Math.min(stored, window.last);
  return {
    lines,
    lastSeq: Math.max(lastSeq, lines.at(-1)?.seq ?? 0),
    status: run.status,
    outputPrunedAt: run.outputPrunedAt ? run.outputPrunedAt.toISOString() : null,
  };
}
