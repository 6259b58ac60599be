import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents } from "../../db/schema";
import { createActor, rejection, seedRunbooks, seedScopedPolicies } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { savePolicyVersion } from "../policies/save-policy";
import { readOutputRange } from "./read-output-range";
import { requestRun } from "./request-run";
import { searchOutput, type OutputMatch } from "./search-output";

// The route handlers below resolve their actor from this map instead of a session or token.
const session = vi.hoisted(() => ({ actors: new Map<string, Actor>() }));
vi.mock("@/lib/auth/current-actor", () => ({
  requestActor: async (request: Request) => session.actors.get(request.headers.get("x-test-actor") ?? "") ?? null,
}));

const LINES = 120_000;
let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let developer: Actor;
let auditor: Actor;
let payments: Actor;
let runId: number;
let paymentsRunId: number;

/** Stores `count` lines for a run straight into the table, as the worker would: seq 1..count. */
async function storeLines(id: number, count: number) {
  await handle.query(sql`
    insert into run_output (run_id, seq, stream, at, line)
    select ${id}, g, case when g % 7 = 0 then 'stderr' else 'stdout' end, now(), 'line ' || g || ' of ${sql.raw(String(count))}'
    from generate_series(1, ${count}) as g`);
  const special: Array<[number, string]> = [
    [500, "progress 100% done_ok"],
    [501, "progress 1000 doneXok"],
    [502, "the MiXeD Case Needle"],
    [503, "\u001b[1;31mERROR:\u001b[0m disk \u001b]8;;https://runbooks.example/disk\u0007full\u001b]8;;\u0007 on /var"],
    [60_010, "another needle, in window two"],
    [119_990, "last NEEDLE here"],
  ];
  for (const [seq, line] of special) {
    await handle.query(sql`update run_output set line = ${line} where run_id = ${id} and seq = ${seq}`);
  }
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, {
    "a.yaml": 'slug: quick\ntitle: Quick\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n',
    "b.yaml": 'slug: pay-refund\ntitle: Refund\nowner: payments\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n',
  });
  await seedScopedPolicies(handle);
  await savePolicyVersion(
    handle.db,
    {
      document: { name: "output-need-to-know", attach: { roles: ["auditor"] }, rules: [{ action: "read-output", subject: "Run", inverted: true, reason: "output is need-to-know" }] },
      reason: "test fixture",
      source: "ui",
    },
    { type: "system", id: "test" },
  );
  developer = await createActor(handle, "developer");
  auditor = await createActor(handle, "auditor");
  const paymentsActor = await createActor(handle, "developer", "payments");
  payments = { ...paymentsActor, user: { ...paymentsActor.user, teams: ["payments"] } };
  session.actors.set("developer", developer).set("auditor", auditor).set("payments", payments);
  // No worker runs in this file: the runs stay queued and their output is stored directly.
  runId = (await requestRun(developer, { slug: "quick", params: {} })).id;
  paymentsRunId = (await requestRun(payments, { slug: "pay-refund", params: {} })).id;
  await storeLines(runId, LINES);
  await storeLines(paymentsRunId, 10);
});
afterAll(async () => dispose?.());

async function allMatches(actor: Actor, q: string): Promise<OutputMatch[]> {
  const found: OutputMatch[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page: Awaited<ReturnType<typeof searchOutput>> = await searchOutput(actor, runId, { q, after, limit: 100 });
    found.push(...page.matches);
    after = page.nextAfter;
  }
  return found;
}

describe(`output ranges and search on ${testDriver}`, () => {
  it("reads a window of lines by seq and reports the highest stored seq", async () => {
    const first = await readOutputRange(developer, runId, { from: 1, limit: 3 });
    expect(first.lines.map((line) => [line.seq, line.stream, line.line])).toEqual([
      [1, "stdout", `line 1 of ${LINES}`],
      [2, "stdout", `line 2 of ${LINES}`],
      [3, "stdout", `line 3 of ${LINES}`],
    ]);
    expect(first).toMatchObject({ lastSeq: LINES, status: "queued", outputPrunedAt: null });
    expect(first.lines[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const middle = await readOutputRange(developer, runId, { from: 99_001, limit: 2000 });
    expect(middle.lines).toHaveLength(2000);
    expect(middle.lines[0]?.seq).toBe(99_001);
    expect(middle.lines.at(-1)?.seq).toBe(101_000);
    expect(middle.lines.filter((line) => line.stream === "stderr").map((line) => line.seq % 7)).toEqual(Array(286).fill(0));

    const tail = await readOutputRange(developer, runId, { from: LINES - 1, limit: 500 });
    expect(tail.lines.map((line) => line.seq)).toEqual([LINES - 1, LINES]);
    expect((await readOutputRange(developer, runId, { from: LINES + 1, limit: 10 })).lines).toEqual([]);
  });

  it("searches case-insensitively for a literal substring, treating % and _ as plain characters", async () => {
    expect((await searchOutput(developer, runId, { q: "100% done_ok", after: 0, limit: 10 })).matches).toEqual([
      { seq: 500, stream: "stdout", line: "progress 100% done_ok" },
    ]);
    expect((await searchOutput(developer, runId, { q: "done_", after: 0, limit: 10 })).matches.map((match) => match.seq)).toEqual([500]);
    expect((await searchOutput(developer, runId, { q: "%", after: 0, limit: 10 })).matches.map((match) => match.seq)).toEqual([500]);
    expect((await searchOutput(developer, runId, { q: "mixed case NEEDLE", after: 0, limit: 10 })).matches.map((match) => match.seq)).toEqual([502]);
    expect((await allMatches(developer, "needle")).map((match) => match.seq)).toEqual([502, 60_010, 119_990]);
    expect(await searchOutput(developer, runId, { q: "no such text", after: 0, limit: 10 })).toEqual({ matches: [], nextAfter: null, lastSeq: LINES });
  });

  it("finds text as the viewer shows it, across colour codes and hyperlinks", async () => {
    const found = await searchOutput(developer, runId, { q: "error: disk full on", after: 0, limit: 10 });
    expect(found.matches.map((match) => match.seq)).toEqual([503]);
    expect(found.matches[0]?.line).toContain("\u001b[1;31m");
    expect((await searchOutput(developer, runId, { q: "disk full", after: 0, limit: 10 })).matches.map((match) => match.seq)).toEqual([503]);
    expect((await searchOutput(developer, runId, { q: "31mERROR", after: 0, limit: 10 })).matches.map((match) => match.seq)).toEqual([503]);
    expect((await searchOutput(developer, runId, { q: "error:disk", after: 0, limit: 10 })).matches).toEqual([]);
  });

  it("stops at the match limit and continues after a seq", async () => {
    const first = await searchOutput(developer, runId, { q: "line 7", after: 0, limit: 5 });
    expect(first.matches.map((match) => match.seq)).toEqual([7, 70, 71, 72, 73]);
    expect(first.nextAfter).toBe(73);
    const next = await searchOutput(developer, runId, { q: "line 7", after: 73, limit: 3 });
    expect(next.matches.map((match) => match.seq)).toEqual([74, 75, 76]);
    expect((await searchOutput(developer, runId, { q: "needle", after: 502, limit: 1 })).matches.map((match) => match.seq)).toEqual([60_010]);
  });

  it("answers 404 for a run the actor may not view and 403, audited, for output the actor may not read", async () => {
    for (const read of [
      () => readOutputRange(developer, paymentsRunId, { from: 1, limit: 10 }),
      () => searchOutput(developer, paymentsRunId, { q: "line", after: 0, limit: 10 }),
      () => readOutputRange(developer, 999_999, { from: 1, limit: 10 }),
    ]) {
      expect(await rejection(read())).toMatchObject({ status: 404 });
    }
    expect((await readOutputRange(payments, paymentsRunId, { from: 1, limit: 10 })).lines).toHaveLength(10);

    const before = await deniedReads();
    for (const read of [() => readOutputRange(auditor, runId, { from: 1, limit: 10 }), () => searchOutput(auditor, runId, { q: "line", after: 0, limit: 10 })]) {
      const error = await rejection(read());
      expect(error.status).toBe(403);
      expect(error.message).toContain("output is need-to-know");
    }
    expect((await deniedReads()) - before).toBe(2);
  });
});

async function deniedReads(): Promise<number> {
  const [row] = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "run.read-output"), eq(auditEvents.outcome, "denied"), eq(auditEvents.subjectId, String(runId))));
  return row?.n ?? 0;
}

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

async function get(path: string, persona: string): Promise<Response> {
  const [, , , , id, endpoint] = path.split("?")[0]?.split("/") ?? [];
  const modules: Record<string, () => Promise<{ GET: Handler }>> = {
    lines: () => import("@/app/api/v1/runs/[id]/lines/route"),
    search: () => import("@/app/api/v1/runs/[id]/search/route"),
    output: () => import("@/app/api/v1/runs/[id]/output/route"),
  };
  const load = modules[endpoint ?? ""];
  if (!load) throw new Error(`no route for ${path}`);
  const { GET } = await load();
  return GET(new Request(`http://localhost${path}`, { headers: { "x-test-actor": persona } }), { params: Promise.resolve({ id: id ?? "" }) });
}

describe(`output routes on ${testDriver}`, () => {
  it("serves ranges and searches as JSON", async () => {
    const lines = await get(`/api/v1/runs/${runId}/lines?from=2&limit=2`, "developer");
    expect(lines.status).toBe(200);
    expect(await lines.json()).toMatchObject({ lines: [{ seq: 2 }, { seq: 3 }], lastSeq: LINES, status: "queued" });
    const search = await get(`/api/v1/runs/${runId}/search?q=${encodeURIComponent("100% DONE")}`, "developer");
    expect(await search.json()).toEqual({ matches: [{ seq: 500, stream: "stdout", line: "progress 100% done_ok" }], nextAfter: null, lastSeq: LINES });
  });

  it("refuses bad query values with a 400 naming the parameter", async () => {
    const cases: Array<[string, string]> = [
      [`/api/v1/runs/${runId}/lines?from=0`, "from"],
      [`/api/v1/runs/${runId}/lines?from=abc`, "from"],
      [`/api/v1/runs/${runId}/lines?limit=2001`, "limit"],
      [`/api/v1/runs/${runId}/lines?limit=1.5`, "limit"],
      [`/api/v1/runs/${runId}/search`, "q"],
      [`/api/v1/runs/${runId}/search?q=`, "q"],
      [`/api/v1/runs/${runId}/search?q=${"x".repeat(201)}`, "q"],
      [`/api/v1/runs/${runId}/search?q=x&after=-1`, "after"],
      [`/api/v1/runs/${runId}/search?q=x&limit=501`, "limit"],
      [`/api/v1/runs/${runId}/output?download=yes`, "download"],
    ];
    for (const [path, field] of cases) {
      const response = await get(path, "developer");
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      const body = (await response.json()) as { error: string; field: string };
      expect(body.field).toBe(field);
      expect(body.error).toMatch(new RegExp(`^${field}: `));
    }
    const long = await get(`/api/v1/runs/${runId}/search?q=${"x".repeat(201)}`, "developer");
    expect(await long.json()).toEqual({ error: "q: must be at most 200 characters", field: "q" });
    expect(await (await get(`/api/v1/runs/${runId}/search`, "developer")).json()).toEqual({ error: "q: is required", field: "q" });
  });

  it("answers 401, 403 and 404 like the other output endpoints", async () => {
    expect((await get(`/api/v1/runs/${runId}/lines`, "nobody")).status).toBe(401);
    expect((await get(`/api/v1/runs/${runId}/search?q=line`, "auditor")).status).toBe(403);
    expect((await get(`/api/v1/runs/${paymentsRunId}/lines`, "developer")).status).toBe(404);
    expect((await get(`/api/v1/runs/abc/lines`, "developer")).status).toBe(404);
  });

  it("offers the raw output as a download", async () => {
    const download = await get(`/api/v1/runs/${paymentsRunId}/output?download=1`, "payments");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="run-${paymentsRunId}.log"`);
    expect(download.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await download.text();
    expect(text.split("\n")).toHaveLength(11);
    expect(text.startsWith("line 1 of 10\nline 2 of 10\n")).toBe(true);
    const inline = await get(`/api/v1/runs/${paymentsRunId}/output`, "payments");
    expect(inline.headers.get("content-disposition")).toBe(`inline; filename="run-${paymentsRunId}.log"`);
    await inline.body?.cancel();
  });
});
