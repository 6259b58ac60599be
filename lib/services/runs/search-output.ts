import { and, asc, eq, gt, lte, sql, type SQL } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runOutput, type OutputStream } from "../../db/schema";
import { rowsOf } from "../../db/client";
import { ANSI_ESCAPES } from "../../runs/output-search-text";
import type { Actor } from "../actor";
import { authorizeRunOutput } from "./authorize-output";
import { lastOutputSeq } from "./read-output-range";

export { ANSI_ESCAPES };
export const MAX_SEARCH_MATCHES = 500;
/** Seqs scanned per query past the blocks: small enough that one query never holds the (single-connection) PGlite for long. */
const WINDOW_LINES = 50_000;
/** Past this, answer with what was found and let the caller continue from `nextAfter`. */
const TIME_BUDGET_MS = 1500;

export interface OutputMatch {
  seq: number;
  stream: OutputStream;
  line: string;
}

export interface OutputSearchResult {
  /** Matching lines with `seq > after`, oldest first, at most `limit`. */
  matches: OutputMatch[];
  /** Search again with `after=nextAfter` for more; null once the stored output has been searched to its end. */
  nextAfter: number | null;
  /** The highest stored seq when the search started. */
  lastSeq: number;
}

/** `text` as a LIKE pattern that matches it literally anywhere in a line. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Only lines holding an escape character pay for the regular expression. */
function shownTextContains(pattern: string) {
  return sql`(${runOutput.line} ilike ${pattern} escape '\\'
    or (strpos(${runOutput.line}, chr(27)) > 0 and regexp_replace(${runOutput.line}, ${ANSI_ESCAPES}, '', 'g') ilike ${pattern} escape '\\'))`;
}

/**
 * How far the run's search blocks cover its output from the first line on, without a gap (0 when
 * they do not: a run stored before blocks existed, or a gap a failed store left).
 */
async function blocksCoverTo(db: Db, runId: number): Promise<number> {
  const [row] = rowsOf<{ covered: number | string | null; lines: number | string | null }>(
    await db.execute(sql`select max(last_seq) as covered, sum(last_seq - first_seq + 1) as lines from run_output_blocks where run_id = ${runId}`),
  );
  const covered = Number(row?.covered ?? 0);
  return covered > 0 && Number(row?.lines ?? 0) === covered ? covered : 0;
}

/**
 * Matching lines inside the blocks that hold the text, from `after` on: one scan of the blocks,
 * then single lines only in the blocks that matched, a growing group of blocks at a time (text on
 * every line fills the page from the first block; rare text needs few groups).
 */
async function searchBlocks(db: Db, runId: number, q: string, pattern: string, after: number, coveredTo: number, limit: number): Promise<{ matches: OutputMatch[]; searchedTo: number }> {
  const matches: OutputMatch[] = [];
  if (after >= coveredTo) return { matches, searchedTo: after };
  const blocks = rowsOf<{ first_seq: number; last_seq: number }>(
    await db.execute(sql`
      select first_seq, last_seq from run_output_blocks
      where run_id = ${runId} and last_seq > ${after} and last_seq <= ${coveredTo} and strpos(search_text, lower(${q})) > 0
      order by first_seq limit ${limit}`),
  );
  let cursor = after;
  for (let next = 0, group = 1; next < blocks.length && matches.length < limit; next += group, group *= 2) {
    const ranges: SQL[] = blocks.slice(next, next + group).map((block) => sql`${runOutput.seq} between ${block.first_seq} and ${block.last_seq}`);
    const rows = await db
      .select({ seq: runOutput.seq, stream: runOutput.stream, line: runOutput.line })
      .from(runOutput)
      .where(and(eq(runOutput.runId, runId), gt(runOutput.seq, cursor), sql`(${sql.join(ranges, sql` or `)})`, shownTextContains(pattern)))
      .orderBy(asc(runOutput.seq))
      .limit(limit - matches.length);
    matches.push(...rows);
    cursor = Number(blocks[Math.min(next + group, blocks.length) - 1]?.last_seq ?? cursor);
  }
  if (matches.length >= limit) return { matches, searchedTo: cursor };
  // Fewer blocks than asked for: none is left after them. Otherwise go on after the last one read.
  return { matches, searchedTo: blocks.length < limit ? coveredTo : cursor };
}

/**
 * Case-insensitive substring search over a run's stored output, as the viewer shows it. The
 * output's blocks (run_output_blocks, written with the lines) answer for most of it in one scan;
 * lines past them (a running run's newest, or a run stored before blocks existed) are walked along
 * the primary key in windows, within a time budget, and the caller pages on with `nextAfter`.
 */
export async function searchOutput(actor: Actor, runId: number, query: { q: string; after: number; limit: number }): Promise<OutputSearchResult> {
  const { db } = await database();
  await authorizeRunOutput(db, actor, runId);
  const limit = Math.min(Math.max(query.limit, 1), MAX_SEARCH_MATCHES);
  const pattern = containsPattern(query.q);
  const [lastSeq, coveredTo] = await Promise.all([lastOutputSeq(db, runId), blocksCoverTo(db, runId)]);
  const started = Date.now();
  const matches: OutputMatch[] = [];
  let cursor = query.after;
  const blocksEnd = Math.min(coveredTo, lastSeq);
  while (cursor < blocksEnd && matches.length < limit) {
    const found = await searchBlocks(db, runId, query.q, pattern, cursor, blocksEnd, limit - matches.length);
    matches.push(...found.matches);
    cursor = found.searchedTo;
  }
  if (matches.length >= limit) return { matches, nextAfter: matches.at(-1)?.seq ?? cursor, lastSeq };
  cursor = Math.max(cursor, query.after);
  while (cursor < lastSeq) {
    const windowEnd = Math.min(cursor + WINDOW_LINES, lastSeq);
    const rows = await db
      .select({ seq: runOutput.seq, stream: runOutput.stream, line: runOutput.line })
      .from(runOutput)
      .where(and(eq(runOutput.runId, runId), gt(runOutput.seq, cursor), lte(runOutput.seq, windowEnd), shownTextContains(pattern)))
      .orderBy(asc(runOutput.seq))
      .limit(limit - matches.length);
    matches.push(...rows);
    if (matches.length >= limit) return { matches, nextAfter: matches.at(-1)?.seq ?? cursor, lastSeq };
    cursor = windowEnd;
    if (cursor < lastSeq && Date.now() - started > TIME_BUDGET_MS) return { matches, nextAfter: cursor, lastSeq };
  }
  return { matches, nextAfter: null, lastSeq };
}
