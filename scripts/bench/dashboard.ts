/**
 * Dashboard (issue 21, PostgreSQL only): the Dashboard page with 50 view panels, rendered by the
 * server for a signed-in admin, on a runs table of N rows (default 1,000,000, seeded as the
 * history scenario seeds them). Each view has 200 results in its history (10,000 in all, each
 * tied to a run marked as a view run). Timed: `GET /dashboard` (the HTML, as a browser loads it,
 * with the session cookie of a Chromium sign-in) and `GET /api/v1/views`. Baseline: the bare
 * runs-list query (the SQL `GET /api/v1/runs` sends for its first page) straight through the
 * `postgres` client.
 */
import { chromium } from "@playwright/test";
import { desc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import fs from "node:fs";
import postgres from "postgres";
import type { Db } from "../../lib/db/client";
import * as schema from "../../lib/db/schema";
import { runs } from "../../lib/db/schema";
import { runQuery } from "../../lib/services/runs/run-dto";
import { seedHistory, timeIt } from "./history";
import { fmt, ms, notes, ratio, record, type BenchServer } from "./support";

export interface DashboardOptions {
  rows: number;
  reps: number;
}

const VIEWS = 50;
const RESULTS_PER_VIEW = 200;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** 50 view runbooks, each with RESULTS_PER_VIEW results tied to seeded runs (made view runs of it). */
async function seedViews(client: postgres.Sql): Promise<void> {
  await client`
    insert into runbook_versions (hash, slug, definition)
    select encode(sha256(convert_to(s.slug, 'UTF8')), 'hex'), s.slug,
           jsonb_build_object('slug', s.slug, 'title', 'View ' || s.slug, 'owner', 'bench', 'risk', 'low', 'timeout', '1m', 'view', true, 'command', jsonb_build_array('true'))
    from (select 'view-' || lpad(g::text, 2, '0') as slug from generate_series(1, ${VIEWS}) g) s`;
  await client`
    insert into runbooks (slug, current_version_hash, title, description, owner, tags, risk, source, view)
    select slug, hash, 'View ' || slug, 'a bench view', 'bench', '["bench"]'::jsonb, 'low', 'file', true
    from runbook_versions where slug like 'view-%'`;
  // The oldest runs become the views' runs: view v's result r is run (v - 1) * RESULTS_PER_VIEW + r.
  await client`
    update runs set view = true, runbook_slug = 'view-' || lpad((1 + (id - 1) / ${RESULTS_PER_VIEW})::text, 2, '0'),
      version_hash = encode(sha256(convert_to('view-' || lpad((1 + (id - 1) / ${RESULTS_PER_VIEW})::text, 2, '0'), 'UTF8')), 'hex')
    where id <= ${VIEWS * RESULTS_PER_VIEW}`;
  await client`
    insert into view_results (runbook_slug, run_id, status, headline, value, unit, "table", created_at)
    select r.runbook_slug, r.id,
           case when r.id % 17 = 0 then 'critical' when r.id % 5 = 0 then 'warn' else 'ok' end,
           'p95 ' || (40 + r.id % 200) || ' ms', 40 + r.id % 200, 'ms',
           '{"columns":["probe","ms"],"rows":[[1,40],[2,55],[3,61]]}'::jsonb, r.finished_at
    from runs r where r.id <= ${VIEWS * RESULTS_PER_VIEW} order by r.id`;
  await client`analyze view_results`;
  await client`analyze runbooks`;
}

/** The session cookie of a Chromium sign-in, for requests a browser would make. */
async function sessionCookie(server: BenchServer): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.base}/signin`);
    await page.getByLabel("Email").fill(server.adminEmail);
    await page.getByLabel("Password").fill(server.adminPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/runbooks$/);
    return (await page.context().cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

export async function benchDashboard(server: BenchServer, databaseUrl: string, options: DashboardOptions): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    notes.push(`dashboard skipped: no Chromium at ${CHROMIUM} to sign in with`);
    return;
  }
  const { rows, reps } = options;
  console.log(`\n## dashboard (postgres): the Dashboard with ${VIEWS} panels (${fmt(RESULTS_PER_VIEW)} results each) at ${fmt(rows)} runs, ${reps} requests after 5 warm-ups`);
  const client = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const seeding = performance.now();
    const [{ count } = { count: 0 }] = await client<{ count: number }[]>`select count(*)::int as count from runs`;
    if (count < rows) {
      await seedHistory(client, rows - count);
      await client`vacuum analyze runs`;
    }
    await seedViews(client);
    console.log(`  seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const cookie = await sessionCookie(server);

    let panels = 0;
    const page = await timeIt(async () => {
      const response = await fetch(`${server.base}/dashboard`, { headers: { cookie } });
      const html = await response.text();
      if (!response.ok) throw new Error(`GET /dashboard: ${response.status}`);
      panels = html.match(/data-panel="view-/g)?.length ?? 0;
    }, reps);
    if (panels !== VIEWS) throw new Error(`GET /dashboard showed ${panels} of the ${VIEWS} bench views`);
    const api = await timeIt(() => server.request("GET", "/views"), reps);
    const db = drizzle(client, { schema }) as unknown as Db;
    const built = runQuery(db).orderBy(desc(runs.id)).limit(51).toSQL();
    const base = await timeIt(() => client.unsafe(built.sql, built.params as postgres.ParameterOrJSON<never>[]), reps);
    const runsApi = await timeIt(() => server.request("GET", "/runs?limit=50"), reps);
    // The fixed cost of a server-rendered page (layout, session, HTML): the run history page of 50 runs.
    const runsPage = await timeIt(async () => {
      const response = await fetch(`${server.base}/runs`, { headers: { cookie } });
      await response.text();
    }, reps);
    console.log(`  GET /dashboard (HTML, ${VIEWS} panels): p50 ${ms(page.p50)} ms, p95 ${ms(page.p95)} ms`);
    console.log(`  GET /api/v1/views: p50 ${ms(api.p50)} ms, p95 ${ms(api.p95)} ms`);
    console.log(`  baseline, the bare runs-list SQL (first page of 50): p50 ${ms(base.p50)} ms, p95 ${ms(base.p95)} ms; GET /api/v1/runs?limit=50 p50 ${ms(runsApi.p50)} ms; the Runs page (HTML, 50 runs) p50 ${ms(runsPage.p50)} ms`);
    record({
      scenario: "dashboard",
      driver: "postgres",
      cells: [`${fmt(rows)} runs, ${VIEWS} panels`, `GET /dashboard p50 ${ms(page.p50)} ms`, `p95 ${ms(page.p95)} ms`, `runs-list SQL p50 ${ms(base.p50)} ms`, `ratio ${ratio(page.p50, base.p50)}`],
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}
