/**
 * Throughput: a runbook printing N lines (seq N), from the API request to `succeeded` with every
 * line persisted, against the same command writing to /dev/null (the issue's baseline) and against
 * the same command read through a pipe and split into lines in this process, and against the
 * store's floor: the same lines inserted straight into the same kind of database with the
 * output writer's statement (the least that persisting them costs).
 *
 * Without a viewer the end is watched on a stream resumed at line N - 1 (`?after=N-1`), which reads
 * nothing before the last line is stored; with a viewer an SSE client reads every line to `end`.
 * Either way every line is then checked through the API: the run's output count, and the full text
 * from /runs/:id/output (N lines, 1 to N).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { execa } from "execa";
import postgres from "postgres";
import { fmt, ms, onCleanup, ratio, record, summarize, type BenchServer, type Driver } from "./support";

/** As lib/executor/output-writer.ts stores lines: one statement per batch, then a notify. */
const STORE_BATCH = 5000;
// A logged table, like run_output (a temporary table would skip the WAL).
const STORE_TABLE = `create table bench_output (run_id bigint not null, seq integer not null, stream text not null, at timestamptz(3) not null, line text not null, primary key (run_id, seq))`;
const STORE_INSERT = `insert into bench_output (run_id, seq, stream, at, line) select $1, (e->>0)::int, e->>1, (e->>2)::timestamptz, e->>3 from json_array_elements($2::text::json) as e`;

export interface ThroughputOptions {
  lines: number;
  reps: number;
  viewer: boolean;
}

async function verifyOutput(server: BenchServer, id: number, lines: number): Promise<void> {
  const run = await server.getRun(id);
  if (run.status !== "succeeded") throw new Error(`print-lines run ${id} ended ${run.status}`);
  if (run.output.lines !== lines) throw new Error(`print-lines run ${id}: output.lines ${run.output.lines}, expected ${lines}`);
  const response = await fetch(`${server.base}/api/v1/runs/${id}/output`, { headers: server.headers() });
  const text = await response.text();
  const stored = text.split("\n");
  if (stored.at(-1) === "") stored.pop();
  if (stored.length !== lines || stored.at(-1) !== String(lines) || stored[0] !== "1") {
    throw new Error(`print-lines run ${id}: /output holds ${stored.length} lines (first ${stored[0]}, last ${stored.at(-1)}), expected 1..${lines}`);
  }
}

async function productRun(server: BenchServer, lines: number, viewer: boolean): Promise<{ seconds: number; id: number; streamed: number }> {
  const t0 = performance.now();
  const run = await server.requestRun("print-lines", { lines });
  // Without a viewer, the end is watched on a stream resumed just before the last line: it reads
  // nothing until that line is stored, so watching costs the server almost nothing.
  const stream = await server.openStream(run.id, viewer ? 0 : lines - 1);
  await stream.untilEnd();
  const streamed = stream.lines;
  if (!stream.ended || stream.lastSeq !== lines) throw new Error(`print-lines run ${run.id}: stream ended at seq ${stream.lastSeq}, expected ${lines}`);
  const seconds = (performance.now() - t0) / 1000;
  await verifyOutput(server, run.id, lines);
  return { seconds, id: run.id, streamed };
}

async function devNull(lines: number): Promise<number> {
  const t0 = performance.now();
  await execa("seq", [String(lines)], { stdin: "ignore", stdout: { file: "/dev/null" } });
  return (performance.now() - t0) / 1000;
}

async function piped(lines: number): Promise<number> {
  const t0 = performance.now();
  let count = 0;
  let partial = "";
  const child = execa("seq", [String(lines)], { stdin: "ignore", buffer: false });
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    count += parts.length;
  });
  await child;
  if (count !== lines) throw new Error(`piped seq: ${count} lines, expected ${lines}`);
  return (performance.now() - t0) / 1000;
}

/**
 * The store's floor: the same N lines inserted by this process with the writer's statement, in
 * batches of 5,000, into a table shaped like run_output, on the same kind of database
 * (PostgreSQL: the bench database; embedded: a fresh PGlite on disk, loaded in this process).
 */
async function storeFloor(driver: Driver, databaseUrl: string | undefined, lines: number): Promise<number> {
  let run: (text: string, params?: unknown[]) => Promise<unknown>;
  let close: () => Promise<void>;
  if (driver === "postgres") {
    const client = postgres(databaseUrl as string, { max: 1, onnotice: () => undefined });
    run = (text, params = []) => client.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
    close = () => client.end({ timeout: 5 });
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-bench-floor-"));
    onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const client = await PGlite.create({ dataDir });
    run = (text, params = []) => client.query(text, params);
    close = () => client.close();
  }
  try {
    await run(STORE_TABLE);
    const t0 = performance.now();
    for (let start = 1; start <= lines; start += STORE_BATCH) {
      const at = new Date().toISOString();
      const batch: Array<[number, string, string, string]> = [];
      for (let seq = start; seq < Math.min(start + STORE_BATCH, lines + 1); seq++) batch.push([seq, "stdout", at, String(seq)]);
      await run(STORE_INSERT, [1, JSON.stringify(batch)]);
      await run("select pg_notify('bench_output', '1')");
    }
    const seconds = (performance.now() - t0) / 1000;
    await run("drop table bench_output");
    return seconds;
  } finally {
    await close();
  }
}

export async function benchThroughput(server: BenchServer, driver: Driver, options: ThroughputOptions): Promise<void> {
  const { lines, reps } = options;
  console.log(`\n## throughput (${driver}): print-lines lines=${fmt(lines)}, ${reps} runs${options.viewer ? " without and with a viewer" : ""}, sequential`);
  const measure = async (label: string, viewer: boolean) => {
    const seconds: number[] = [];
    for (let index = 0; index < reps; index++) {
      const result = await productRun(server, lines, viewer);
      seconds.push(result.seconds);
      console.log(`  ${label} run ${result.id}: ${result.seconds.toFixed(2)} s, ${fmt(lines / result.seconds)} lines/s${viewer ? `, viewer got ${fmt(result.streamed)} line events` : ""}; all ${fmt(lines)} lines verified`);
    }
    return summarize(seconds);
  };
  const unviewed = await measure("no viewer", false);
  const viewed = options.viewer ? await measure("viewer", true) : undefined;

  await devNull(lines);
  const nullRuns: number[] = [];
  const pipeRuns: number[] = [];
  for (let index = 0; index < Math.max(reps, 5); index++) {
    nullRuns.push(await devNull(lines));
    pipeRuns.push(await piped(lines));
  }
  const floorRuns: number[] = [];
  for (let index = 0; index < reps; index++) floorRuns.push(await storeFloor(driver, server.options.databaseUrl, lines));
  const floor = summarize(floorRuns);
  const toNull = summarize(nullRuns);
  const toPipe = summarize(pipeRuns);
  console.log(`  seq ${lines} > /dev/null (execa): p50 ${ms(toNull.p50 * 1000)} ms; through a pipe, split into lines here: p50 ${ms(toPipe.p50 * 1000)} ms`);
  console.log(`  store floor, ${fmt(lines)} lines inserted here in batches of ${fmt(STORE_BATCH)} (${driver === "postgres" ? "bench database" : "fresh PGlite on disk, in this process"}): p50 ${floor.p50.toFixed(2)} s, ${fmt(lines / floor.p50)} lines/s`);

  for (const [label, result] of [["", unviewed], ["+viewer", viewed]] as const) {
    if (!result) continue;
    record({
      scenario: `throughput${label}`,
      driver,
      cells: [
        `${fmt(lines)} lines`,
        `p50 ${result.p50.toFixed(2)} s`,
        `(min ${result.min.toFixed(2)} s, ${fmt(lines / result.p50)} lines/s)`,
        `/dev/null ${ms(toNull.p50 * 1000)} ms`,
        `ratio ${ratio(result.p50, toNull.p50)}`,
        `store floor ${floor.p50.toFixed(2)} s`,
        `ratio ${ratio(result.p50, floor.p50)}`,
      ],
    });
  }
}
