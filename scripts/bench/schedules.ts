/**
 * Schedules (issue 20): `count` one-off schedules of echo-once, all due at the same second, on
 * PostgreSQL with the server's own worker off and two `handrail worker` processes, each running
 * its scheduler. Checks that every schedule fired exactly once (one fire row, one run), and prints
 * how long after its due time each fire's run was created (the scheduler's part) and, separately,
 * how long that run then waited in the queue for a worker slot. Baseline: the store floor, the same
 * number of run rows inserted directly over two connections, one by one.
 */
import postgres from "postgres";
import { ms, percentile, ratio, record, sleep, summarize, type BenchServer } from "./support";

export interface SchedulesOptions {
  count: number;
}

/** Inserts `count` run rows like a fire's, one statement each, over two connections, into a scratch copy of runs. */
async function storeFloor(databaseUrl: string, count: number, owner: string, versionHash: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined });
  try {
    await sql`create table if not exists bench_runs_floor (like runs including defaults including identity)`;
    const started = performance.now();
    await Promise.all(
      [0, 1].map(async (lane) => {
        for (let index = lane; index < count; index += 2) {
          await sql`insert into bench_runs_floor (runbook_slug, version_hash, status, params, argv, requested_by, requested_via, timeout_ms, risk, scheduled_for)
            values ('echo-once', ${versionHash}, 'queued', '{}'::jsonb, '[]'::jsonb, ${owner}, 'schedule', 60000, 'low', now())`;
        }
      }),
    );
    return performance.now() - started;
  } finally {
    await sql`drop table if exists bench_runs_floor`;
    await sql.end({ timeout: 5 });
  }
}

export async function benchSchedules(server: BenchServer, databaseUrl: string, options: SchedulesOptions): Promise<void> {
  const { count } = options;
  console.log(`\n## schedules (postgres): ${count} one-off schedules due in the same second, fired by the schedulers of 2 \`handrail worker\` processes`);
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => undefined });
  try {
    const [admin] = await sql<{ id: string }[]>`select id from users where email = ${server.adminEmail}`;
    const [runbook] = await sql<{ hash: string }[]>`select current_version_hash as hash from runbooks where slug = 'echo-once'`;
    if (!admin || !runbook) throw new Error("the bench admin or the echo-once runbook is missing");
    // A whole second, far enough ahead for every row to be in before any scheduler can see it due.
    const dueAt = new Date(Math.ceil((Date.now() + 6000) / 1000) * 1000);
    await sql`
      insert into schedules (runbook_slug, name, run_at, time_zone, params, owner_id, misfire, overlap, next_fire_at)
      select 'echo-once', 'bench-' || g, ${dueAt}, 'UTC', '{}'::jsonb, ${admin.id}, 'skip', 'allow', ${dueAt}
      from generate_series(1, ${count}) g`;
    const deadline = dueAt.getTime() + 60_000;
    let fired = 0;
    while (Date.now() < deadline) {
      [{ fired } = { fired: 0 }] = await sql<{ fired: number }[]>`select count(*)::int as fired from schedule_fires f join schedules s on s.id = f.schedule_id where s.name like 'bench-%'`;
      if (fired >= count) break;
      await sleep(200);
    }
    // A moment more: a duplicate would show now if there were one.
    await sleep(1000);
    const fires = await sql<{ schedule_id: number; outcome: string; run_id: number | null }[]>`
      select f.schedule_id, f.outcome, f.run_id from schedule_fires f join schedules s on s.id = f.schedule_id where s.name like 'bench-%'`;
    const runs = await sql<{ id: number; schedule_id: number; created_at: Date; started_at: Date | null }[]>`
      select id, schedule_id, created_at, started_at from runs where schedule_id is not null`;
    const distinctSchedules = new Set(runs.map((run) => run.schedule_id)).size;
    const notRun = fires.filter((fire) => fire.outcome !== "run").length;
    if (fires.length !== count || runs.length !== count || distinctSchedules !== count || notRun > 0) {
      throw new Error(`expected ${count} fires and runs, one per schedule: ${fires.length} fires (${notRun} not a run), ${runs.length} runs for ${distinctSchedules} schedules`);
    }
    const createdMs = runs.map((run) => run.created_at.getTime() - dueAt.getTime()).sort((a, b) => a - b);
    const created = { ...summarize(createdMs), p99: percentile(createdMs, 0.99) };
    const queued = runs.filter((run) => run.started_at !== null);
    const waitMs = queued.map((run) => (run.started_at as Date).getTime() - run.created_at.getTime()).sort((a, b) => a - b);
    const waits = { ...summarize(waitMs), p99: percentile(waitMs, 0.99) };
    const lastCreated = Math.max(...runs.map((run) => run.created_at.getTime())) - dueAt.getTime();
    const floor = await storeFloor(databaseUrl, count, admin.id, runbook.hash);
    console.log(`  every schedule fired exactly once: ${fires.length} fires, ${runs.length} runs, ${distinctSchedules} schedules`);
    console.log(`  due -> run created: p50 ${ms(created.p50)} ms, p95 ${ms(created.p95)} ms, p99 ${ms(created.p99)} ms, max ${ms(created.max)} ms`);
    console.log(`  then queued until a worker slot took it (${queued.length} of ${count} started by now): p50 ${ms(waits.p50)} ms, p99 ${ms(waits.p99)} ms`);
    console.log(`  store floor: ${count} such run rows inserted directly over 2 connections in ${ms(floor)} ms`);
    record({
      scenario: "schedules",
      driver: "postgres+2 workers",
      cells: [`due->created p50 ${ms(created.p50)} ms`, `p99 ${ms(created.p99)} ms`, `all ${count} in ${ms(lastCreated)} ms`, `store floor ${ms(floor)} ms`, `ratio ${ratio(lastCreated, floor)}`],
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
