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

export type VerifyResult =
  | { ok: true; count: number; head: string; complete: boolean }
  | { ok: false; brokenAt: number; reason: BreakReason; count: number; detail: string };

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
 * Walks events in chain order (seq) and reports the first place the chain breaks:
 * - edited: an event's content no longer matches its own hash;
 * - deleted: a position is missing, or the event before was replaced with a recomputed hash;
 * - reordered: an event links to an event that exists but is not the one before it.
 */
export async function verifyChain(rows: AsyncIterable<ChainRow>, options: VerifyOptions): Promise<VerifyResult> {
  let previous: ChainRow | undefined;
  let count = 0;
  let complete = true;
  for await (const row of rows) {
    count += 1;
    const fail = (reason: BreakReason, detail: string, at = row.id): VerifyResult => ({ ok: false, brokenAt: at, reason, count, detail });
    if (auditHash(row.prevHash, contentOf(row)) !== row.hash) return fail("edited", `event ${row.id} does not match its hash`);
    if (previous && row.id < previous.id) return fail("reordered", `event ${row.id} comes after event ${previous.id} in the chain`);
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (row.seq !== expectedSeq) {
      if (!options.allowGaps) return fail("deleted", `position ${expectedSeq} is missing before event ${row.id}`);
      // A selection: nothing to link this row to.
      complete = false;
      previous = row;
      continue;
    }
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (row.prevHash !== expectedPrev) {
      if (await options.hashExists(row.prevHash)) return fail("reordered", `event ${row.id} links to an event that is elsewhere in the chain`);
      if (!previous) return fail("deleted", "the start of the chain is missing");
      return fail("edited", `event ${previous.id} was changed and its hash recomputed`, previous.id);
    }
    previous = row;
  }
  return { ok: true, count, head: previous?.hash ?? GENESIS_HASH, complete };
}
