/**
 * Dispatch: API request -> first output byte on the stream, for a runbook that echoes once,
 * against spawning the same command with execa and waiting for its first stdout byte.
 *
 * Two ways a client follows a run it requests, measured alternately with the baseline so that all
 * three share the machine's noise, each after a pause that lets the previous run finish settling
 * (its final transaction, the spawner starting the next sandbox ahead): dispatch on a quiet server.
 * - follow: `POST /runbooks/echo-once/runs?follow=1`, one response carrying the run and its output;
 * - two requests: `POST /runbooks/echo-once/runs`, then `GET /runs/:id/stream` once it answered.
 * t1 is when the first `event: line` arrives; the stream is then read to `end`, so runs never overlap.
 *
 * Then the `clock` runbook, which prints the time it started (date +%s%N) and stays alive 0.2 s
 * (so its line does not ride on the process's exit), splits a followed request into phases by the
 * run's timestamps. Server timestamps are whole milliseconds; created_at is PostgreSQL's now(),
 * the start of the request's transaction.
 */
import { execa } from "execa";
import { epochNow, ms, ratio, record, summarize, type BenchServer, type Driver, type SseReader, type Summary } from "./support";

export interface DispatchOptions {
  runs: number;
  warmup: number;
  phaseRuns: number;
}

type Mode = "follow" | "two requests";

interface Sample {
  total: number;
  /** t0 -> runs.created_at (HTTP, token, loading and authorising; the transaction begins) */
  toCreated: number;
  /** created_at -> the process printed (rest of the transaction, commit, spawner, exec); clock only */
  toPrinted: number;
  /** the process printed -> the line's `at` (pipe, spawner, worker); clock only */
  piped: number;
  /** created_at -> the line's `at` */
  toLine: number;
  /** line `at` -> bytes on the stream (insert, hand-off, SSE) */
  delivery: number;
}

async function openRun(server: BenchServer, mode: Mode, slug: string, params: Record<string, unknown>): Promise<{ id: number; stream: SseReader }> {
  if (mode === "follow") {
    const stream = await server.requestRunFollowing(slug, params);
    while (!stream.run) if (!(await stream.next())) throw new Error(`${slug}: the followed request ended before its run event`);
    return { id: stream.run.id, stream };
  }
  const run = await server.requestRun(slug, params);
  return { id: run.id, stream: await server.openStream(run.id) };
}

async function oneRun(server: BenchServer, mode: Mode, slug: string, params: Record<string, unknown> = {}): Promise<Sample> {
  const t0 = performance.now();
  const t0Epoch = epochNow();
  const { id, stream } = await openRun(server, mode, slug, params);
  const t1 = await stream.untilFirstLine();
  const t1Epoch = t0Epoch + (t1 - t0);
  await stream.untilEnd();
  const finished = await server.getRun(id);
  if (finished.status !== "succeeded") throw new Error(`${slug} run ${id} ended ${finished.status}`);
  const created = Date.parse(finished.createdAt);
  const lineAt = Date.parse(stream.firstLine?.at ?? finished.createdAt);
  const text = stream.firstLine?.line ?? "";
  const printed = /^\d{19}$/.test(text) ? Number(BigInt(text) / 1000n) / 1000 : NaN;
  return {
    total: t1 - t0,
    toCreated: created - t0Epoch,
    toPrinted: printed - created,
    piped: lineAt - printed,
    toLine: lineAt - created,
    delivery: t1Epoch - lineAt,
  };
}

/** Longer than the spawner's delay before it starts the next sandbox ahead (100 ms) plus its start. */
const SETTLE_MS = 200;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** execa('echo', ['hello']) to its first stdout byte. */
async function baselineRun(): Promise<number> {
  const t0 = performance.now();
  const child = execa("echo", ["hello"], { buffer: false, stdin: "ignore" });
  const first = new Promise<number>((resolve) => child.stdout?.once("data", () => resolve(performance.now())));
  const t1 = await first;
  await child;
  return t1 - t0;
}

function printPhases(label: string, samples: Sample[], withPrinted: boolean): void {
  const phase = (pick: (sample: Sample) => number) => summarize(samples.map(pick));
  const rows: Array<[string, Summary]> = [
    ["request -> first line on the stream", phase((sample) => sample.total)],
    ["  request -> created_at (HTTP, token, policy)", phase((sample) => sample.toCreated)],
    ...(withPrinted
      ? ([
          ["  created_at -> process printed (tx, spawn)", phase((sample) => sample.toPrinted)],
          ["  process printed -> line at (pipe)", phase((sample) => sample.piped)],
        ] as Array<[string, Summary]>)
      : ([["  created_at -> line at (tx, spawn, pipe)", phase((sample) => sample.toLine)]] as Array<[string, Summary]>)),
    ["  line at -> on the stream (insert, SSE)", phase((sample) => sample.delivery)],
  ];
  console.log(`  ${label} (${samples.length} runs), p50 / p95 ms:`);
  for (const [name, value] of rows) console.log(`    ${name.padEnd(50)} ${ms(value.p50).padStart(7)} / ${ms(value.p95).padStart(7)}`);
}

export async function benchDispatch(server: BenchServer, driver: Driver, options: DispatchOptions): Promise<void> {
  console.log(
    `\n## dispatch (${driver}): ${options.warmup} warm-up + ${options.runs} runs of echo-once per mode (followed in one request; request then stream), alternating with the baseline; then ${options.phaseRuns} followed runs of clock for the phases`,
  );
  for (let index = 0; index < options.warmup; index++) {
    await oneRun(server, "follow", "echo-once");
    await oneRun(server, "two requests", "echo-once");
    await baselineRun();
  }
  const samples: Record<Mode, Sample[]> = { follow: [], "two requests": [] };
  const baseline: number[] = [];
  const cpuBefore = server.cpuTimeMs();
  for (let index = 0; index < options.runs; index++) {
    await settle();
    samples.follow.push(await oneRun(server, "follow", "echo-once"));
    await settle();
    samples["two requests"].push(await oneRun(server, "two requests", "echo-once"));
    await settle();
    baseline.push(await baselineRun());
  }
  const cpuAfter = server.cpuTimeMs();
  // Everything the server did for a pair of runs (the requests, the spawn, storing, streaming,
  // finishing, the status reads after them), per run: with one thread, the latency cannot be lower.
  const cpuPerRun = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / (2 * options.runs) : NaN;

  const clock: Sample[] = [];
  for (let index = 0; index < options.phaseRuns; index++) {
    await settle();
    clock.push(await oneRun(server, "follow", "clock", { wait: 0.2 }));
  }

  const base = summarize(baseline);
  console.log(`  execa echo -> first stdout byte: p50 ${ms(base.p50)} ms, p95 ${ms(base.p95)} ms`);
  console.log(`  server CPU time per echo-once run (whole run, all requests): ${ms(cpuPerRun)} ms`);
  for (const mode of ["follow", "two requests"] as const) {
    const total = summarize(samples[mode].map((sample) => sample.total));
    console.log(`  ${mode}: request -> first line on the stream p50 ${ms(total.p50)} ms, p95 ${ms(total.p95)} ms, min ${ms(total.min)}, max ${ms(total.max)}`);
    printPhases(`echo-once, ${mode}`, samples[mode], false);
    record({
      scenario: mode === "follow" ? "dispatch" : "dispatch-2req",
      driver,
      cells: [
        `p50 ${ms(total.p50)} ms`,
        `p95 ${ms(total.p95)} ms`,
        `baseline p50 ${ms(base.p50)} ms`,
        `overhead p50 ${ms(total.p50 - base.p50)} ms`,
        `ratio ${ratio(total.p50, base.p50)}`,
        ...(mode === "follow" ? [`server CPU ${ms(cpuPerRun)} ms/run`] : []),
      ],
    });
  }
  printPhases("clock, followed (prints its start time, stays alive 0.2 s)", clock, true);
  const phase = (pick: (sample: Sample) => number) => ms(summarize(clock.map(pick)).p50);
  record({
    scenario: "dispatch-phases",
    driver,
    cells: [
      `clock p50 ${phase((sample) => sample.total)} ms:`,
      `to created_at ${phase((sample) => sample.toCreated)}`,
      `tx+spawn ${phase((sample) => sample.toPrinted)}`,
      `pipe ${phase((sample) => sample.piped)}`,
      `line->stream ${phase((sample) => sample.delivery)} ms (p50s)`,
    ],
  });
}
