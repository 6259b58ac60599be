/**
 * History (PostgreSQL only): `GET /api/v1/runs` filtered, on a runs table holding N rows (default
 * 1,000,000), against the same SQL sent straight through the `postgres` client.
 *
 * Seeding is one `insert … select … from generate_series` into the bench database the server has
 * already migrated: 30 runbooks (`hist-01` … `hist-30`, with their version rows for the foreign
 * key), 20 requesters, only final statuses (85 % succeeded, 8 % failed, 3 % cancelled, 2 %
 * timed_out, 2 % interrupted, so the worker never touches them), created_at ascending over 90 days.
 * Then `vacuum analyze`, as autovacuum would after a bulk load.
 *
 * The SQL baseline is the query `listRuns` builds (runQuery + filters, order by id desc, limit
 * + 1), generated with drizzle's toSQL() and sent with client.unsafe(). It leaves out the
 * caller's visibility condition, which for an admin is a constant.
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "../../lib/db/client";
import * as schema from "../../lib/db/schema";
import { runs, users } from "../../lib/db/schema";
import { runQuery } from "../../lib/services/runs/run-dto";
import { fmt, ms, ratio, record, summarize, type BenchServer, type RunDto } from "./support";

export interface HistoryOptions {
  rows: number;
  reps: number;
}

const RUNBOOKS = 30;
const REQUESTERS = 20;
const PAGE = 50;
const SLOW_MS = 50;

interface Case {
  name: string;
  query: Record<string, string>;
  where: SQL[];
}

export async function seedHistory(client: postgres.Sql, rows: number): Promise<void> {
  await client`
    insert into users (email, name, role, password_hash)
    select 'bench-user-' || lpad(g::text, 2, '0') || '@handrail.bench', 'Bench User ' || g, 'developer', 'not-a-password-hash'
    from generate_series(1, ${REQUESTERS}) g`;
  await client`
    insert into runbook_versions (hash, slug, definition)
    select encode(sha256(convert_to(s.slug, 'UTF8')), 'hex'), s.slug,
           jsonb_build_object('slug', s.slug, 'title', 'History ' || s.slug, 'owner', 'bench', 'risk', 'low', 'timeout', '1m', 'command', jsonb_build_array('true'))
    from (select 'hist-' || lpad(g::text, 2, '0') as slug from generate_series(1, ${RUNBOOKS}) g) s`;
  await client`
    insert into runbooks (slug, current_version_hash, title, description, owner, tags, risk, source)
    select slug, hash, 'History ' || slug, '', 'bench', '["bench"]'::jsonb, 'low', 'file'
    from runbook_versions where slug like 'hist-%'`;
  await client`
    insert into runs (runbook_slug, version_hash, status, params, argv, requested_by, requested_via, timeout_ms,
                      created_at, started_at, finished_at, exit_code, worker_id, heartbeat_at, output_lines, output_bytes)
    select r.slug, encode(sha256(convert_to(r.slug, 'UTF8')), 'hex'), r.status, '{}'::jsonb, '["true"]'::jsonb,
           u.ids[1 + r.who], case when r.who % 4 = 0 then 'api' else 'web' end, 60000,
           r.created, r.created + interval '150 milliseconds', r.created + interval '150 milliseconds' + r.took, 
           case r.status when 'succeeded' then 0 when 'failed' then 1 else null end,
           'bench-seed', r.created + r.took, r.lines, r.lines * 12
    from (
      select 'hist-' || lpad((1 + abs(hashint8(g * 3 + 1)) % ${RUNBOOKS})::text, 2, '0') as slug,
             case when h < 85 then 'succeeded' when h < 93 then 'failed' when h < 96 then 'cancelled' when h < 98 then 'timed_out' else 'interrupted' end as status,
             (abs(hashint8(g * 5 + 2)) % ${REQUESTERS})::int as who,
             now() - interval '90 days' + (g::float8 / ${rows}) * interval '90 days' as created,
             (abs(hashint8(g * 7 + 3)) % 60000) * interval '1 millisecond' as took,
             (abs(hashint8(g * 11 + 4)) % 500)::int as lines
      from generate_series(1, ${rows}::bigint) g, lateral (select abs(hashint8(g)) % 100 as h) x
      order by g
    ) r,
    (select array_agg(id order by email) as ids from users where email like 'bench-user-%') u`;
}

/** p50/p95 over `reps` calls after 5 warm-ups. */
export async function timeIt(once: () => Promise<unknown>, reps: number) {
  for (let index = 0; index < 5; index++) await once();
  const samples: number[] = [];
  for (let index = 0; index < reps; index++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

async function timeApi(server: BenchServer, query: Record<string, string>, reps: number) {
  const search = new URLSearchParams(query).toString();
  let rows = 0;
  const timing = await timeIt(async () => {
    const page = await server.request<{ runs: RunDto[]; nextBefore: number | null }>("GET", `/runs?${search}`);
    rows = page.runs.length;
  }, reps);
  return { ...timing, rows };
}

const timeSql = (client: postgres.Sql, text: string, params: unknown[], reps: number) =>
  timeIt(() => client.unsafe(text, params as postgres.ParameterOrJSON<never>[]), reps);

export async function benchHistory(server: BenchServer, databaseUrl: string, options: HistoryOptions): Promise<void> {
  const { rows, reps } = options;
  console.log(`\n## history (postgres): GET /api/v1/runs filtered at ${fmt(rows)} runs, ${reps} requests per case after 5 warm-ups`);
  const client = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const seedStart = performance.now();
    await seedHistory(client, rows);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const vacuumStart = performance.now();
    await client`vacuum analyze runs`;
    await client`analyze users`;
    await client`analyze runbooks`;
    const vacuumSeconds = (performance.now() - vacuumStart) / 1000;
    const [size] = await client<{ table: string; indexes: string; total: number }[]>`
      select pg_size_pretty(pg_table_size('runs')) as table, pg_size_pretty(pg_indexes_size('runs')) as indexes, count(*)::int as total from runs`;
    console.log(`  seeded ${fmt(rows)} runs in ${seedSeconds.toFixed(1)} s (${fmt(rows / seedSeconds)} rows/s), vacuum analyze ${vacuumSeconds.toFixed(1)} s; runs now ${fmt(size?.total ?? 0)} rows, table ${size?.table}, indexes ${size?.indexes}`);

    const slug = "hist-07";
    const user = "bench-user-03@handrail.bench";
    const cases: Case[] = [
      { name: `runbook=${slug}&status=failed`, query: { runbook: slug, status: "failed" }, where: [eq(runs.runbookSlug, slug), eq(runs.status, "failed")] },
      { name: `runbook=${slug}`, query: { runbook: slug }, where: [eq(runs.runbookSlug, slug)] },
      { name: "status=failed", query: { status: "failed" }, where: [eq(runs.status, "failed")] },
      { name: `user=…03&status=failed`, query: { user, status: "failed" }, where: [eq(users.email, user), eq(runs.status, "failed")] },
      { name: `user=…03&runbook=${slug}&status=timed_out`, query: { user, runbook: slug, status: "timed_out" }, where: [eq(users.email, user), eq(runs.runbookSlug, slug), eq(runs.status, "timed_out")] },
      { name: "unfiltered", query: {}, where: [] },
    ];

    const db = drizzle(client, { schema }) as unknown as Db;
    const results: Array<{ c: Case; api: Awaited<ReturnType<typeof timeApi>>; base: ReturnType<typeof summarize>; matching: number; text: string; params: unknown[] }> = [];
    for (const c of cases) {
      const built = runQuery(db).where(and(...c.where)).orderBy(desc(runs.id)).limit(PAGE + 1).toSQL();
      const [counted] = await db.select({ n: sql<number>`count(*)::int` }).from(runs).innerJoin(users, eq(users.id, runs.requestedBy)).where(and(...c.where));
      const matching = Number(counted?.n ?? 0);
      const api = await timeApi(server, c.query, reps);
      if (api.rows !== Math.min(PAGE, matching)) throw new Error(`GET /runs?${new URLSearchParams(c.query).toString()} returned ${api.rows} runs, expected ${Math.min(PAGE, matching)}`);
      const base = await timeSql(client, built.sql, built.params, reps);
      results.push({ c, api, base, matching, text: built.sql, params: built.params });
      console.log(`  ${c.name.padEnd(44)} matching ${fmt(matching).padStart(9)}  API p50 ${ms(api.p50).padStart(6)} ms  p95 ${ms(api.p95).padStart(6)} ms  SQL p50 ${ms(base.p50).padStart(6)} ms  p95 ${ms(base.p95).padStart(6)} ms  ratio ${ratio(api.p50, base.p50)}`);
    }
    // Reference points for the fixed cost of a request: no auth and no SQL; auth and a 1-row page.
    const health = await timeIt(() => fetch(`${server.base}/api/v1/health`).then((response) => response.text()), reps);
    const onePage = await timeApi(server, { limit: "1" }, reps);
    console.log(`  for reference: GET /api/v1/health p50 ${ms(health.p50)} ms, p95 ${ms(health.p95)} ms; GET /api/v1/runs?limit=1 p50 ${ms(onePage.p50)} ms, p95 ${ms(onePage.p95)} ms`);
    // The plan of the headline case, and of any case whose SQL alone is slow.
    for (const [index, result] of results.entries()) {
      if (index > 0 && result.base.p50 <= SLOW_MS) continue;
      const plan = await client.unsafe(`explain (analyze, buffers) ${result.text}`, result.params as postgres.ParameterOrJSON<never>[]);
      console.log(`  plan for ${result.c.name} (SQL p50 ${ms(result.base.p50)} ms):`);
      for (const line of plan.map((row) => String(row["QUERY PLAN"]))) console.log(`    ${line}`);
    }
    const [main] = results;
    if (main) {
      record({
        scenario: "history",
        driver: "postgres",
        cells: [
          `${fmt(rows)} runs`,
          `GET /runs?${new URLSearchParams(main.c.query).toString()}`,
          `p50 ${ms(main.api.p50)} ms`,
          `p95 ${ms(main.api.p95)} ms`,
          `SQL p50 ${ms(main.base.p50)} ms`,
          `ratio ${ratio(main.api.p50, main.base.p50)}`,
          `(${fmt(main.matching)} match)`,
        ],
      });
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
