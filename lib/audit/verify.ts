import { auditHash, GENESIS_HASH } from "./record";

/** One event as stored or exported: every column, dates as ISO strings or Date. */
export interface ChainRow {
  id: number;
  seq: number;
  at: Date | string;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  outcome: string;
  subjectType: string | null;
  subjectId: string | null;
  versionHash: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
}

export type BreakReason = "edited" | "deleted" | "reordered";

export interface ChainBreak {
  id: number;
  seq: number;
  reason: BreakReason;
  detail: string;
}

/** Breaks listed in one result; a log broken in more places says how many there were. */
export const MAX_LISTED_BREAKS = 1000;

export type VerifyResult =
  | { ok: true; count: number; head: string; complete: boolean }
  | { ok: false; brokenAt: number; reason: BreakReason; count: number; detail: string; breaks: ChainBreak[]; breakCount: number };

export function contentOf(row: ChainRow) {
  const { id: _id, seq: _seq, prevHash: _prevHash, hash: _hash, ...content } = row;
  return { ...content, at: row.at instanceof Date ? row.at : new Date(row.at) };
}

interface VerifyOptions {
  /** Whether some event in the whole log has this hash: tells a moved event from a missing one. */
  hashExists: (hash: string) => Promise<boolean>;
  /** A filtered export holds a selection: gaps in seq are expected there, links are checked where rows are adjacent. */
  allowGaps?: boolean;
}

/**
 * Walks events in chain order (seq) and reports every place the chain breaks, so one broken event
 * can never hide tampering after it:
 * - edited: an event's content no longer matches its own hash;
 * - deleted: a position is missing, or the event before was replaced with a recomputed hash;
 * - reordered: an event links to an event that exists but is not the one before it.
 * `brokenAt`, `reason` and `detail` describe the first break.
 */
export async function verifyChain(rows: AsyncIterable<ChainRow>, options: VerifyOptions): Promise<VerifyResult> {
  let previous: ChainRow | undefined;
  let count = 0;
  let complete = true;
  const breaks: ChainBreak[] = [];
  let breakCount = 0;
  const broken = (row: Pick<ChainRow, "id" | "seq">, reason: BreakReason, detail: string) => {
    if (breaks.some((entry) => entry.id === row.id)) return;
    breakCount += 1;
    if (breaks.length < MAX_LISTED_BREAKS) breaks.push({ id: row.id, seq: row.seq, reason, detail });
  };
  for await (const row of rows) {
    count += 1;
    const before = previous;
    previous = row;
    if (auditHash(row.prevHash, contentOf(row)) !== row.hash) {
      broken(row, "edited", `event ${row.id} does not match its hash`);
      continue;
    }
    if (before && row.id < before.id) {
      broken(row, "reordered", `event ${row.id} comes after event ${before.id} in the chain`);
      continue;
    }
    const expectedSeq = before ? before.seq + 1 : 1;
    if (row.seq !== expectedSeq) {
      // In a selection there is nothing to link this row to; in the whole log a position is missing.
      if (options.allowGaps) complete = false;
      else broken(row, "deleted", `position ${expectedSeq} is missing before event ${row.id}`);
      continue;
    }
    const expectedPrev = before?.hash ?? GENESIS_HASH;
    if (row.prevHash === expectedPrev) continue;
    if (await options.hashExists(row.prevHash)) broken(row, "reordered", `event ${row.id} links to an event that is elsewhere in the chain`);
    else if (!before) broken(row, "deleted", "the start of the chain is missing");
    else broken(before, "edited", `event ${before.id} was changed and its hash recomputed`);
  }
  const [first] = breaks;
  if (first) return { ok: false, brokenAt: first.id, reason: first.reason, count, detail: first.detail, breaks, breakCount };
  return { ok: true, count, head: previous?.hash ?? GENESIS_HASH, complete };
}
