import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit, auditHash, MAX_EMAIL_CHARS, MAX_USER_AGENT_CHARS } from "../../audit/record";
import { signInWithPassword } from "../users/sign-in";
import { parseJsonLine, toJsonLine } from "../../audit/export-format";
import { verifyChain, contentOf, type ChainRow } from "../../audit/verify";
import type { DatabaseHandle, Db } from "../../db";
import { auditEvents } from "../../db/schema";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { chainRows } from "./chain-rows";
import { verifyStoredChain } from "./verify-audit-log";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let ids: number[] = [];

class Rollback extends Error {}

/** Tampers as a superuser would (triggers dropped), verifies, then rolls everything back. */
async function tamperAndVerify(tamper: (tx: Db) => Promise<void>) {
  let result: Awaited<ReturnType<typeof verifyStoredChain>> | undefined;
  await handle.db
    .transaction(async (tx) => {
      await tx.execute(sql`drop trigger audit_events_append_only on audit_events`);
      await tamper(tx);
      result = await verifyStoredChain(tx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return result;
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  for (let index = 1; index <= 6; index++) {
    await recordAudit(handle.db, { actor: { type: "system", id: "test" }, action: `test.event${index}`, outcome: "success", details: { index } });
  }
  ids = (await handle.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(asc(auditEvents.seq))).map((row) => row.id);
});
afterAll(async () => dispose?.());

describe(`audit chain on ${testDriver}`, () => {
  it("verifies an untouched chain and reports its head", async () => {
    const result = await verifyStoredChain(handle.db);
    const [last] = await handle.db.select().from(auditEvents).orderBy(sql`seq desc`).limit(1);
    expect(result).toEqual({ ok: true, count: ids.length, head: last?.hash, complete: true });
  });

  it("refuses UPDATE, DELETE and TRUNCATE at the database level", async () => {
    for (const statement of [
      sql`update audit_events set action = 'x' where id = ${ids[0]}`,
      sql`delete from audit_events where id = ${ids[0]}`,
      sql`truncate audit_events`,
    ]) {
      const error = await handle.db.execute(statement).catch((caught: unknown) => caught);
      expect(String((error as Error).message) + String((error as { cause?: Error }).cause?.message ?? "")).toContain("the audit log is append-only");
    }
    expect((await verifyStoredChain(handle.db)).ok).toBe(true);
  });

  it("detects an edited event", async () => {
    const target = ids[2] ?? 0;
    const result = await tamperAndVerify(async (tx) => {
      await tx.execute(sql`update audit_events set details = '{"index": 99}'::jsonb where id = ${target}`);
    });
    expect(result).toMatchObject({ ok: false, brokenAt: target, reason: "edited" });
  });

  it("detects an edited event whose hash was recomputed to match", async () => {
    const target = ids[2] ?? 0;
    const result = await tamperAndVerify(async (tx) => {
      const [row] = await tx.select().from(auditEvents).where(eq(auditEvents.id, target));
      if (!row) throw new Error("missing row");
      const forged = { ...contentOf(row as ChainRow), details: { index: 99 } };
      await tx.execute(sql`update audit_events set details = '{"index": 99}'::jsonb, hash = ${auditHash(row.prevHash, forged)} where id = ${target}`);
    });
    expect(result).toMatchObject({ ok: false, brokenAt: target, reason: "edited" });
  });

  it("detects a deleted event", async () => {
    const result = await tamperAndVerify(async (tx) => {
      await tx.execute(sql`delete from audit_events where id = ${ids[2] ?? 0}`);
    });
    expect(result).toMatchObject({ ok: false, brokenAt: ids[3], reason: "deleted" });
  });

  it("detects reordered events", async () => {
    const [third, fourth] = [ids[2] ?? 0, ids[3] ?? 0];
    const result = await tamperAndVerify(async (tx) => {
      await tx.execute(sql`alter table audit_events drop constraint audit_events_seq_unique`);
      await tx.execute(sql`update audit_events set seq = case when id = ${third} then 4 else 3 end where id in (${third}, ${fourth})`);
    });
    expect(result).toMatchObject({ ok: false, brokenAt: fourth, reason: "reordered" });
  });

  it("goes on past a break and reports every one, so a poisoned event cannot hide later tampering", async () => {
    const [second, fifth, sixth] = [ids[1] ?? 0, ids[4] ?? 0, ids[5] ?? 0];
    const result = await tamperAndVerify(async (tx) => {
      await tx.execute(sql`update audit_events set details = '{"index": 99}'::jsonb where id = ${second}`);
      await tx.execute(sql`delete from audit_events where id = ${fifth}`);
    });
    expect(result).toMatchObject({ ok: false, brokenAt: second, reason: "edited", breakCount: 2 });
    expect(result && !result.ok && result.breaks.map(({ id, reason }) => ({ id, reason }))).toEqual([
      { id: second, reason: "edited" },
      { id: sixth, reason: "deleted" },
    ]);
  });

  it("verifies an exported file offline, and notices an edit in it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-export-"));
    const lines: string[] = [];
    for await (const row of chainRows(handle.db)) lines.push(toJsonLine(row));
    const rowsOf = async function* (text: string[]) {
      let number = 0;
      for (const line of text) yield parseJsonLine(line, ++number);
    };
    const options = { allowGaps: true, hashExists: async () => false };
    expect(await verifyChain(rowsOf(lines), options)).toMatchObject({ ok: true, count: ids.length, complete: true });
    const selection = lines.filter((_line, index) => index % 2 === 0);
    expect(await verifyChain(rowsOf(selection), options)).toMatchObject({ ok: true, complete: false });
    const edited = lines.map((line, index) => (index === 1 ? line.replace('"outcome":"success"', '"outcome":"failure"') : line));
    expect(await verifyChain(rowsOf(edited), options)).toMatchObject({ ok: false, brokenAt: ids[1], reason: "edited" });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the chain linear under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        recordAudit(handle.db, { actor: { type: "system", id: "race" }, action: "test.concurrent", outcome: "success", details: { index } }),
      ),
    );
    expect(await verifyStoredChain(handle.db)).toMatchObject({ ok: true, count: ids.length + 20 });
  });
});

describe(`audit timeline queries on ${testDriver}`, () => {
  it("filters by actor, action, runbook, outcome, text and time, and pages a time range without gaps or repeats", async () => {
    const { auditPage } = await import("./chain-rows");
    for (let index = 0; index < 7; index++) {
      await recordAudit(handle.db, {
        actor: { type: "user", id: `u${index}`, email: index % 2 ? "odd@example.test" : "even@example.test" },
        action: index % 3 ? "run.requested" : "auth.sign_in",
        outcome: index === 5 ? "denied" : "success",
        subjectType: "run",
        subjectId: `timeline-${index}`,
        details: { runbook: index < 4 ? "alpha-book" : "beta-book", note: `needle-${index}` },
      });
    }
    const subjects = async (filters: Parameters<typeof auditPage>[1]) =>
      (await auditPage(handle.db, filters, 50)).events.map((event) => event.subjectId).filter((id) => id?.startsWith("timeline-"));
    expect(await subjects({ actor: "ODD@" })).toEqual(["timeline-5", "timeline-3", "timeline-1"]);
    expect(await subjects({ action: "auth.sign_in" })).toEqual(["timeline-6", "timeline-3", "timeline-0"]);
    expect(await subjects({ runbook: "beta-book" })).toEqual(["timeline-6", "timeline-5", "timeline-4"]);
    expect(await subjects({ outcome: "denied" })).toEqual(["timeline-5"]);
    expect(await subjects({ q: "needle-2" })).toEqual(["timeline-2"]);

    const from = new Date(Date.now() - 60_000);
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await auditPage(handle.db, { from, runbook: "alpha-book" }, 2, before);
      seen.push(...page.events.map((event) => event.subjectId ?? ""));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual(["timeline-3", "timeline-2", "timeline-1", "timeline-0"]);
  });

  // Last: it adds events the counts above do not expect.
  it("stores and hashes the same text whatever a sign-in sends: the chain stays whole", async () => {
    const attempts = [
      { email: "x\ud800@example.com", password: "wrong" },
      { email: "nul\u0000@example.com", password: "wrong", userAgent: `agent ${"u".repeat(8000)}\udfff` },
      { email: `${"e".repeat(400)}@example.com`, password: "wrong" },
    ];
    for (const attempt of attempts) expect(await signInWithPassword(attempt)).toBeNull();
    const recorded = (await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "auth.sign_in")).orderBy(asc(auditEvents.seq))).slice(-3);
    expect(recorded.map((event) => event.outcome)).toEqual(["failure", "failure", "failure"]);
    expect(recorded[0]?.actorEmail).toBe("x\ufffd@example.com");
    expect(recorded[1]?.actorEmail).toBe("nul\ufffd@example.com");
    expect(recorded[1]?.userAgent).toHaveLength(MAX_USER_AGENT_CHARS);
    expect(recorded[2]?.actorEmail).toHaveLength(MAX_EMAIL_CHARS);
    expect(await verifyStoredChain(handle.db)).toMatchObject({ ok: true });
  });

});
