import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { OutputWriter } from "../../executor/output-writer";
import { createActor, seedRunbooks } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { followRunOutput, type OutputFollower } from "./read-output";
import { requestRun } from "./request-run";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let developer: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, { "a.yaml": 'slug: quick\ntitle: Quick\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n' });
  developer = await createActor(handle, "developer");
});
afterAll(async () => dispose?.());

/** No worker runs in this file: runs stay queued unless a test changes them. */
async function follow(): Promise<{ runId: number; follower: OutputFollower }> {
  const runId = (await requestRun(developer, { slug: "quick", params: {} })).id;
  return { runId, follower: await followRunOutput(developer, runId) };
}

describe(`following a run's output on ${testDriver}`, () => {
  it("reads lines and the run's state in one query, like read and status", async () => {
    const { runId, follower } = await follow();
    try {
      const readWithState = follower.readWithState?.bind(follower);
      if (!readWithState) throw new Error("the follower reads lines and state together");
      expect(await readWithState(0, 10)).toEqual({ lines: [], state: { status: "queued", exitCode: null, finished: false, pageChanges: 0 } });

      await handle.query(sql`
        insert into run_output (run_id, seq, stream, at, line)
        select ${runId}, g, case when g = 2 then 'stderr' else 'stdout' end, now(), 'line ' || g from generate_series(1, 3) as g`);
      const firstTwo = await readWithState(0, 2);
      expect(firstTwo.lines).toEqual(await follower.read(0, 2));
      expect(firstTwo.lines.map((line) => [line.seq, line.stream, line.line])).toEqual([
        [1, "stdout", "line 1"],
        [2, "stderr", "line 2"],
      ]);
      expect(firstTwo.lines[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(firstTwo.state).toEqual(await follower.status());
      expect((await readWithState(2, 10)).lines.map((line) => line.seq)).toEqual([3]);

      await handle.query(sql`update runs set status = 'failed', exit_code = 3, finished_at = now() where id = ${runId}`);
      expect(await readWithState(3, 10)).toEqual({ lines: [], state: { status: "failed", exitCode: 3, finished: true, pageChanges: 0 } });
    } finally {
      follower.close();
    }
  });

  it("is woken by the statement that stores a batch, and then reads the stored line", async () => {
    const { runId, follower } = await follow();
    try {
      const writer = new OutputWriter(handle, runId, { secrets: [], capBytes: 1_000_000 });
      const started = Date.now();
      const woken = follower.waitForChange(10_000);
      writer.write("stdout", "hello\n");
      await woken;
      expect(Date.now() - started).toBeLessThan(5_000);
      await writer.close();
      expect((await follower.read(0, 10)).map((line) => [line.seq, line.line])).toEqual([[1, "hello"]]);
    } finally {
      follower.close();
    }
  });
});
