/**
 * Dispatch: API request -> first output byte on the stream, for a runbook that echoes once,
 * against spawning the same command with execa and waiting for its first stdout byte.
 *
 * Each measured run: t0 just before `POST /runbooks/echo-once/runs`; as soon as it returns the id,
 * `GET /runs/:id/stream` is opened and read until the first `event: line` arrives (t1). The stream
 * is then read to `end`, so runs never overlap.
 *
 * Then, to see where the time goes, the same is done with the `clock` runbook, which prints the
 * time it started (date +%s%N) and stays alive 0.2 s (so its line does not ride on the process's
 * exit). The run's timestamps split t1 - t0 into phases. Server timestamps are whole milliseconds;
 * created_at and started_at are PostgreSQL now(), i.e. the start of their transactions.
 */
import { execa } from "execa";
import { epochNow, ms, ratio, record, summarize, type BenchServer, type Driver, type Summary } from "./support";

export interface DispatchOptions {
  runs: number;
  warmup: number;
  phaseRuns: number;
}

interface Sample {
  total: number;
  /** t0 -> POST response */
  post: number;
  /** t0 -> runs.created_at (request parsing, auth, policy, the insert's transaction begins) */
  toCreated: number;
  /** created_at -> started_at (commit, notify, a worker wakes and its claim transaction begins) */
  queued: number;
  /** started_at -> the run's work directory exists (rest of the claim transaction, notify, mkdtemp); clock only */
  toWorkDir: number;
  /** work directory -> script written; clock only */
  toScript: number;
  /** script written -> the process printed (execa spawn, sh, date); clock only */
  toPrinted: number;
  /** the process printed -> the line's `at` (pipe to the worker); clock runbook only */
  piped: number;
  /** started_at -> the line's `at` */
  toLine: number;
  /** line `at` -> bytes on the stream (insert, notify, the SSE read) */
  delivery: number;
}

async function oneRun(server: BenchServer, slug: string, params: Record<string, unknown> = {}): Promise<Sample> {
  const t0 = performance.now();
  const t0Epoch = epochNow();
  const run = await server.requestRun(slug, params);
  const posted = performance.now();
  const stream = await server.openStream(run.id);
  const t1 = await stream.untilFirstLine();
  const t1Epoch = t0Epoch + (t1 - t0);
  await stream.untilEnd();
  const finished = await server.getRun(run.id);
  if (finished.status !== "succeeded") throw new Error(`${slug} run ${run.id} ended ${finished.status}`);
  const created = Date.parse(finished.createdAt);
  const started = Date.parse(finished.startedAt ?? finished.createdAt);
  const lineAt = Date.parse(stream.firstLine?.at ?? finished.startedAt ?? finished.createdAt);
  const text = stream.firstLine?.line ?? "";
  const printed = /^\d{19}$/.test(text) ? Number(BigInt(text) / 1000n) / 1000 : NaN;
  let workDir = NaN;
  let script = NaN;
  if (!Number.isNaN(printed)) {
    const output = await fetch(`${server.base}/api/v1/runs/${run.id}/output`, { headers: server.headers() }).then((response) => response.text());
    const [dirBorn, scriptWritten] = (output.split("\n")[1] ?? "").split(" ").map((seconds) => Number(seconds) * 1000);
    workDir = dirBorn && dirBorn > 0 ? dirBorn : NaN;
    script = scriptWritten ?? NaN;
  }
  return {
    total: t1 - t0,
    post: posted - t0,
    toCreated: created - t0Epoch,
    queued: started - created,
    toWorkDir: workDir - started,
    toScript: script - workDir,
    toPrinted: printed - script,
    piped: lineAt - printed,
    toLine: lineAt - started,
    delivery: t1Epoch - lineAt,
  };
}

/** execa('echo', ['hello']) to its first stdout byte. */
async function baselineRun(): Promise<number> {
  const t0 = performance.now();
  const child = execa("echo", ["hello"], { buffer: false, stdin: "ignore" });
  const first = new Promise<number>((resolve) => child.stdout?.once("data", () => resolve(performance.now())));
  const t1 = await first;
  await child;
  return t1 - t0;
}

function printPhases(label: string, samples: Sample[], withPrinted: boolean): Summary[] {
  const phase = (pick: (sample: Sample) => number) => summarize(samples.map(pick));
  const rows: Array<[string, Summary]> = [
    ["request -> first line on the stream", phase((sample) => sample.total)],
    ["  (POST answered)", phase((sample) => sample.post)],
    ["  request -> created_at", phase((sample) => sample.toCreated)],
    ["  created_at -> started_at (queued)", phase((sample) => sample.queued)],
    ...(withPrinted
      ? ([
          ["  started_at -> work dir made (claim tx, mkdtemp)", phase((sample) => sample.toWorkDir)],
          ["  work dir -> script written", phase((sample) => sample.toScript)],
          ["  script written -> process printed (spawn)", phase((sample) => sample.toPrinted)],
          ["  process printed -> line at (pipe)", phase((sample) => sample.piped)],
        ] as Array<[string, Summary]>)
      : ([["  started_at -> line at (claim, spawn, pipe)", phase((sample) => sample.toLine)]] as Array<[string, Summary]>)),
    ["  line at -> on the stream (insert, notify, SSE)", phase((sample) => sample.delivery)],
  ];
  console.log(`  ${label} (${samples.length} runs), p50 / p95 ms:`);
  for (const [name, value] of rows) console.log(`    ${name.padEnd(50)} ${ms(value.p50).padStart(7)} / ${ms(value.p95).padStart(7)}`);
  return rows.map(([, value]) => value);
}

export async function benchDispatch(server: BenchServer, driver: Driver, options: DispatchOptions): Promise<void> {
  console.log(`\n## dispatch (${driver}): ${options.warmup} warm-up + ${options.runs} runs of echo-once, sequential; then ${options.phaseRuns} runs of clock for the phases`);
  for (let index = 0; index < options.warmup; index++) await oneRun(server, "echo-once");
  const samples: Sample[] = [];
  const cpuBefore = server.cpuTimeMs();
  for (let index = 0; index < options.runs; index++) samples.push(await oneRun(server, "echo-once"));
  const cpuAfter = server.cpuTimeMs();
  // Everything the server did for a run (two requests, the claim, the spawn, storing, streaming,
  // finishing, plus the status read after it): with one thread, the latency cannot be lower.
  const cpuPerRun = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / options.runs : NaN;

  for (let index = 0; index < 3; index++) await baselineRun();
  const baseline: number[] = [];
  for (let index = 0; index < options.runs; index++) baseline.push(await baselineRun());

  const clock: Sample[] = [];
  for (let index = 0; index < options.phaseRuns; index++) clock.push(await oneRun(server, "clock", { wait: 0.2 }));

  const total = summarize(samples.map((sample) => sample.total));
  const base = summarize(baseline);
  console.log(`  request -> first line on the stream: p50 ${ms(total.p50)} ms, p95 ${ms(total.p95)} ms, min ${ms(total.min)}, max ${ms(total.max)}`);
  console.log(`  execa echo -> first stdout byte:     p50 ${ms(base.p50)} ms, p95 ${ms(base.p95)} ms`);
  console.log(`  server CPU time per echo-once run (whole run, all requests): ${ms(cpuPerRun)} ms`);
  printPhases("echo-once", samples, false);
  const clockPhases = printPhases("clock (prints its start time, stays alive 0.2 s)", clock, true);
  const [clockTotal, , , clockQueued, clockClaim, clockScript, clockSpawn, , clockDelivery] = clockPhases;
  record({
    scenario: "dispatch",
    driver,
    cells: [
      `p50 ${ms(total.p50)} ms`,
      `p95 ${ms(total.p95)} ms`,
      `baseline p50 ${ms(base.p50)} ms`,
      `p95 ${ms(base.p95)} ms`,
      `overhead p50 ${ms(total.p50 - base.p50)} ms`,
      `ratio ${ratio(total.p50, base.p50)}`,
      `server CPU ${ms(cpuPerRun)} ms/run`,
    ],
  });
  record({
    scenario: "dispatch-phases",
    driver,
    cells: [
      `clock p50 ${ms(clockTotal?.p50 ?? NaN)} ms:`,
      `queued ${ms(clockQueued?.p50 ?? NaN)}`,
      `claim ${ms(clockClaim?.p50 ?? NaN)}`,
      `script ${ms(clockScript?.p50 ?? NaN)}`,
      `spawn ${ms(clockSpawn?.p50 ?? NaN)}`,
      `line->stream ${ms(clockDelivery?.p50 ?? NaN)} ms (p50s)`,
    ],
  });
}
