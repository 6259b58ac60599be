import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import { database } from "../../db";
import { runOutput, type OutputStream } from "../../db/schema";
import type { Actor } from "../actor";
import { authorizeRunOutput } from "./authorize-output";
import { lastOutputSeq } from "./read-output-range";

export const MAX_SEARCH_MATCHES = 500;
/** Seqs scanned per query: small enough that one query never holds the (single-connection) PGlite for long. */
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

/**
 * Terminal escape sequences as a PostgreSQL regular expression: CSI (colours, cursor moves), OSC
 * (titles, hyperlinks) and the two-character forms. A search matches the text as the viewer shows
 * it, so `ERROR: disk` finds `\e[1mERROR:\e[0m disk`.
 */
export const ANSI_ESCAPES = "\u001b(\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001b]*(\u0007|\u001b\\\\)?|[@-Z\\\\-_])";

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
 * Case-insensitive substring search over a run's stored output. Walks the primary key in windows
 * of seqs and stops at `limit` matches or a time budget, so a rare term in a million lines
 * answers in bounded time and the caller pages on with `nextAfter`.
 */
export async function searchOutput(actor: Actor, runId: number, query: { q: string; after: number; limit: number }): Promise<OutputSearchResult> {
  const { db } = await database();
  await authorizeRunOutput(db, actor, runId);
  const limit = Math.min(Math.max(query.limit, 1), MAX_SEARCH_MATCHES);
  const pattern = containsPattern(query.q);
  const lastSeq = await lastOutputSeq(db, runId);
  const started = Date.now();
  const matches: OutputMatch[] = [];
  let cursor = query.after;
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
