import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { and, eq, isNotNull, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { runs, scheduleFires, schedules } from "../../db/schema";
import { createActor, eventually, seedRunbooks } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { createSchedule } from "./create-schedule";

const cli = path.resolve("bin/handrail.js");
const COUNT = 40;

function startWorker(url: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, [cli, "worker", "--concurrency", "2"], { env: { ...process.env, DATABASE_URL: url, HANDRAIL_DEMO: "off" }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

// Separate worker processes need PostgreSQL (the embedded database is one process).
describe.runIf(testDriver === "postgres")("two worker processes racing for the same fires", () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let url = "";
  const children: ChildProcess[] = [];
  const logs: string[][] = [[], []];

  beforeAll(async () => {
    const opened = await openTestDatabase();
    ({ handle, dispose } = opened);
    url = opened.url ?? "";
    await seedRunbooks(handle, { "noop.yaml": "slug: noop\ntitle: Noop\nowner: platform\nrisk: low\ntimeout: 30s\ncommand: [\"/bin/true\"]\n" });
  });

  afterAll(async () => {
    // A graceful stop, then a hard one: a worker still finishing its runs must not hold up the suite.
    const exited = children.map((child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", resolve))));
    for (const child of children) child.kill("SIGTERM");
    const kill = setTimeout(() => children.forEach((child) => child.kill("SIGKILL")), 10_000);
    await Promise.all(exited);
    clearTimeout(kill);
    await dispose?.();
  });

  it("fires each schedule exactly once when two schedulers see it due at the same moment", async () => {
    const operator = await createActor(handle, "operator");
    const later = new Date(Date.now() + 3_600_000).toISOString();
    for (let index = 0; index < COUNT; index++) await createSchedule(operator, { runbook: "noop", name: `race-${index}`, runAt: later });
    children.push(startWorker(url, logs[0] as string[]), startWorker(url, logs[1] as string[]));
    await eventually(async () => (logs.every((log) => log.join("").includes("schedules fire from this process")) ? true : undefined), 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; workers said: ${logs.map((log) => log.join("")).join("\n---\n")}`);
    });
    // Both schedulers are up: every schedule becomes due at once, for both to find on their next pass.
    await handle.db.execute(sql`update schedules set run_at = now(), next_fire_at = now() where name like 'race-%'`);
    await eventually(async () => {
      const [row] = await handle.db.select({ fired: sql<number>`count(*)::int` }).from(scheduleFires);
      return (row?.fired ?? 0) >= COUNT ? true : undefined;
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const fired = await handle.db.select().from(scheduleFires);
    const started = await handle.db.select({ id: runs.id, scheduleId: runs.scheduleId }).from(runs).where(isNotNull(runs.scheduleId));
    expect(fired).toHaveLength(COUNT);
    expect(fired.every((fire) => fire.outcome === "run")).toBe(true);
    expect(started).toHaveLength(COUNT);
    expect(new Set(started.map((run) => run.scheduleId)).size).toBe(COUNT);
    const left = await handle.db.select().from(schedules).where(and(like(schedules.name, "race-%"), isNotNull(schedules.nextFireAt)));
    expect(left).toEqual([]);
    expect(await handle.db.select().from(runs).where(eq(runs.status, "failed"))).toEqual([]);
  });

  it("both workers stop cleanly on SIGTERM, even one caught claiming a run: exit 0 within 10 s, every run recorded", async () => {
    // More runs queued as the stop comes in, so a claim is likely under way.
    await handle.db.execute(sql`update schedules set run_at = now(), next_fire_at = now(), revision = revision + 1 where name like 'race-%'`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exits = children.map((child) => new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal))));
    for (const child of children) child.kill("SIGTERM");
    const deadline = new Promise<string>((resolve) => setTimeout(() => resolve("still running after 10 s"), 10_000).unref());
    expect(await Promise.all(exits.map((exit) => Promise.race([exit, deadline])))).toEqual([0, 0]);
    expect(logs.map((log) => log.join("")).join("\n")).not.toMatch(/failed to record|CONNECTION_ENDED/);
    expect(await handle.db.select().from(runs).where(eq(runs.status, "running"))).toEqual([]);
  });
});
