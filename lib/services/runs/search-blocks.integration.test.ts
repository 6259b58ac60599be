/**
 * Search over output stored by the real writer, which also writes the output's search blocks:
 * what it finds must be exactly what a line-by-line search finds, across block boundaries, from
 * any `after`, within any `limit`, and in the newest lines of a run still writing (not in a block
 * yet).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { runOutputBlocks } from "../../db/schema";
import { OutputWriter } from "../../executor/output-writer";
import { OUTPUT_SEARCH_BLOCK_LINES } from "../../runs/output-search-text";
import { createActor, seedRunbooks } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { requestRun } from "./request-run";
import { searchOutput, type OutputMatch } from "./search-output";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let developer: Actor;

const LINES = 2 * OUTPUT_SEARCH_BLOCK_LINES + 500;

/** Line `seq` as printed: mostly plain, some with colours, case and the characters LIKE treats specially. */
function printed(seq: number): string {
  if (seq === OUTPUT_SEARCH_BLOCK_LINES) return "end of the FIRST block: Needle";
  if (seq === OUTPUT_SEARCH_BLOCK_LINES + 1) return "start of the second block: needle";
  if (seq % 250 === 0) return `\u001b[1;31mERROR:\u001b[0m disk full at ${seq} (100% used_up)`;
  if (seq % 97 === 0) return `warn ${seq}: NeEdLe in a haystack`;
  return `info ${seq}: all quiet`;
}

// eslint-disable-next-line no-control-regex -- the escape character is exactly what is matched
const COLOUR_CODES = /\u001b\[[0-9;]*m/g;

/** What search should find: the line as shown (escapes removed) or as printed contains `q`, ignoring case. */
function expected(q: string, after = 0): number[] {
  const wanted = q.toLowerCase();
  const contains = (text: string) => text.toLowerCase().includes(wanted);
  return Array.from({ length: LINES }, (_, index) => index + 1).filter((seq) => seq > after && (contains(printed(seq).replace(COLOUR_CODES, "")) || contains(printed(seq))));
}

async function everyMatch(runId: number, q: string, after: number, limit: number): Promise<number[]> {
  const found: OutputMatch[] = [];
  let next: number | null = after;
  while (next !== null) {
    const page: Awaited<ReturnType<typeof searchOutput>> = await searchOutput(developer, runId, { q, after: next, limit });
    expect(page.matches.length).toBeLessThanOrEqual(limit);
    found.push(...page.matches);
    next = page.nextAfter;
  }
  return found.map((match) => match.seq);
}

/** A run whose output the writer stored, as a worker would; closed (finished) or still open. */
async function writtenRun(close: boolean): Promise<number> {
  const run = await requestRun(developer, { slug: "quick", params: {} });
  const writer = new OutputWriter(handle, run.id, { secrets: [], capBytes: 1 << 24 });
  for (let seq = 1; seq <= LINES; seq++) writer.write(seq % 7 === 0 ? "stderr" : "stdout", `${printed(seq)}\n`);
  if (close) await writer.close();
  else await writer.flush();
  return run.id;
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, { "a.yaml": 'slug: quick\ntitle: Quick\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n' });
  developer = await createActor(handle, "developer");
});
afterAll(async () => dispose?.());

describe(`search over the output's blocks (${testDriver})`, () => {
  it("writes a block per thousand lines, the last one shorter once the output is complete", async () => {
    const runId = await writtenRun(true);
    const blocks = await handle.db.select({ first: runOutputBlocks.firstSeq, last: runOutputBlocks.lastSeq }).from(runOutputBlocks).where(eq(runOutputBlocks.runId, runId)).orderBy(runOutputBlocks.firstSeq);
    expect(blocks).toEqual([
      { first: 1, last: 1000 },
      { first: 1001, last: 2000 },
      { first: 2001, last: LINES },
    ]);
  });

  for (const close of [true, false]) {
    it(`finds exactly what a line-by-line search finds (${close ? "finished" : "still writing: the newest lines are in no block yet"})`, async () => {
      const runId = await writtenRun(close);
      for (const q of ["needle", "NEEDLE in a", "error: disk", "100% used_", "%", "_", "block: needle", "quiet", "no such text", "\u001b[1;31m", "31mERROR"]) {
        expect(await everyMatch(runId, q, 0, 100), q).toEqual(expected(q));
      }
      // From inside a block, and in small pages that end inside blocks.
      expect(await everyMatch(runId, "needle", 999, 1)).toEqual(expected("needle", 999));
      expect(await everyMatch(runId, "error", 1500, 3)).toEqual(expected("error", 1500));
      expect(await searchOutput(developer, runId, { q: "no such text", after: 0, limit: 10 })).toEqual({ matches: [], nextAfter: null, lastSeq: LINES });
    });
  }
});
