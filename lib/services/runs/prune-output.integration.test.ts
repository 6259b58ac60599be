import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runOutput, runOutputBlocks, runs } from "../../db/schema";
import { createActor, seedRunbooks } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { verifyStoredChain } from "../audit/verify-audit-log";
import { getRun } from "./get-run";
import { pruneRunOutput } from "./prune-output";
import { requestRun } from "./request-run";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, { "a.yaml": "slug: quick\ntitle: Quick\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/true\"]\n" });
});
afterAll(async () => dispose?.());

async function finishedRun(daysAgo: number): Promise<number> {
  const developer = await createActor(handle, "developer");
  const run = await requestRun(developer, { slug: "quick", params: {} });
  await handle.db
    .update(runs)
    .set({ status: "succeeded", exitCode: 0, startedAt: new Date(Date.now() - daysAgo * 86_400_000 - 1000), finishedAt: new Date(Date.now() - daysAgo * 86_400_000), outputLines: 2, outputBytes: 12, outputSha256: "f".repeat(64) })
    .where(eq(runs.id, run.id));
  await handle.db.insert(runOutput).values([
    { runId: run.id, seq: 1, stream: "stdout", at: new Date(), line: "hello" },
    { runId: run.id, seq: 2, stream: "stdout", at: new Date(), line: "world" },
  ]);
  await handle.db.insert(runOutputBlocks).values({ runId: run.id, firstSeq: 1, lastSeq: 2, searchText: "hello\nworld" });
  return run.id;
}

describe(`output retention on ${testDriver}`, () => {
  it("prunes old output, keeps the digest, records the pruning, and never touches audit events", async () => {
    const old = await finishedRun(40);
    const recent = await finishedRun(2);
    const [eventsBefore] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);

    const report = await pruneRunOutput(handle.db, 30, { type: "system", id: "retention" });
    expect(report.runs).toEqual([old]);
    expect(await handle.db.select().from(runOutput).where(eq(runOutput.runId, old))).toEqual([]);
    // Nothing of the text is left to search either.
    expect(await handle.db.select().from(runOutputBlocks).where(eq(runOutputBlocks.runId, old))).toEqual([]);
    expect(await handle.db.select().from(runOutputBlocks).where(eq(runOutputBlocks.runId, recent))).toHaveLength(1);
    expect((await handle.db.select().from(runOutput).where(eq(runOutput.runId, recent))).length).toBe(2);

    const admin = await createActor(handle, "admin");
    const pruned = await getRun(admin, old);
    expect(pruned.output).toMatchObject({ lines: 2, bytes: 12, sha256: "f".repeat(64) });
    expect(pruned.output.prunedAt).not.toBeNull();

    const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "run.output_pruned"));
    expect(event).toMatchObject({ subjectId: String(old), details: { outputSha256: "f".repeat(64), retentionDays: 30 } });
    const [eventsAfter] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    expect((eventsAfter?.n ?? 0) - (eventsBefore?.n ?? 0)).toBe(2); // the pruning event, and the admin created for the check
    expect((await verifyStoredChain(handle.db)).ok).toBe(true);

    expect((await pruneRunOutput(handle.db, 30, { type: "system", id: "retention" })).runs).toEqual([]);
  });
});
