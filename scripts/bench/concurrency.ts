/**
 * Concurrency: R runs of a runbook that sleeps S seconds, submitted at once (Promise.all of POSTs)
 * to a server whose worker has C slots. Waits for all of them, asserts every one succeeded and none
 * was lost or duplicated, and compares the total with the ideal R x S / C. The runs' own
 * started/finished times give the most runs ever running at once, and the gap between one run
 * finishing and the next starting in its slot.
 */
import { fmt, ms, ratio, record, sleep, summarize, type BenchServer, type Driver, type RunDto } from "./support";

export interface ConcurrencyOptions {
  runs: number;
  seconds: number;
  slots: number;
}

async function listAll(server: BenchServer, ids: Set<number>): Promise<RunDto[]> {
  const found: RunDto[] = [];
  let before: number | null = null;
  for (;;) {
    const page: { runs: RunDto[]; nextBefore: number | null } = await server.request("GET", `/runs?runbook=sleep&limit=200${before ? `&before=${before}` : ""}`);
    found.push(...page.runs.filter((run) => ids.has(run.id)));
    before = page.nextBefore;
    if (before === null || page.runs.every((run) => run.id < Math.min(...ids))) return found;
  }
}

export async function benchConcurrency(server: BenchServer, driver: Driver, options: ConcurrencyOptions): Promise<void> {
  const { runs, seconds, slots } = options;
  const ideal = (runs * seconds) / slots;
  console.log(`\n## concurrency (${driver}): ${runs} runs of sleep ${seconds}s submitted at once, ${slots} worker slots; ideal ${ideal.toFixed(2)} s`);
  // One warm-up run, so the first POST does not pay for compiling the route.
  await server.waitFinished((await server.requestRun("sleep", { seconds: 0 })).id);

  const t0 = performance.now();
  const t0Epoch = performance.timeOrigin + t0;
  const submitted = await Promise.all(Array.from({ length: runs }, () => server.requestRun("sleep", { seconds })));
  const allSubmitted = performance.now() - t0;
  const ids = new Set(submitted.map((run) => run.id));
  if (ids.size !== runs) throw new Error(`${runs} POSTs returned ${ids.size} distinct run ids`);

  let finished: RunDto[] = [];
  for (;;) {
    const listed = await listAll(server, ids);
    finished = listed.filter((run) => run.finishedAt !== null && !["queued", "running"].includes(run.status));
    if (finished.length === runs) break;
    if (performance.now() - t0 > (ideal * 10 + 60) * 1000) throw new Error(`after ${((performance.now() - t0) / 1000).toFixed(0)} s only ${finished.length}/${runs} runs finished (${listed.length} listed)`);
    // The figure comes from the runs' own timestamps; polling slowly keeps the poller from
    // competing with the worker for the server (on PGlite they share one thread).
    await sleep(250);
  }
  const observed = (performance.now() - t0) / 1000;
  const notSucceeded = finished.filter((run) => run.status !== "succeeded");
  if (notSucceeded.length > 0) throw new Error(`${notSucceeded.length} runs did not succeed: ${notSucceeded.slice(0, 5).map((run) => `${run.id} ${run.status} ${run.errorMessage ?? ""}`).join("; ")}`);

  // From the runs' own timestamps: when the last one finished, how many ran at once, slot gaps.
  const lastFinished = Math.max(...finished.map((run) => Date.parse(run.finishedAt as string)));
  const total = (lastFinished - t0Epoch) / 1000;
  const edges = finished.flatMap((run) => [
    { at: Date.parse(run.startedAt as string), delta: 1 },
    { at: Date.parse(run.finishedAt as string), delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const edge of edges) peak = Math.max(peak, (running += edge.delta));
  const durations = summarize(finished.map((run) => run.durationMs ?? NaN));
  const queuedFirst = Math.min(...finished.map((run) => Date.parse(run.startedAt as string))) - t0Epoch;
  // Slot turnaround: each start after the first C, paired with the finish that freed its slot.
  const starts = finished.map((run) => Date.parse(run.startedAt as string)).sort((a, b) => a - b);
  const finishes = finished.map((run) => Date.parse(run.finishedAt as string)).sort((a, b) => a - b);
  const gaps = starts.slice(slots).map((start, index) => start - (finishes[index] ?? start));
  const gap = summarize(gaps);
  // The same after the burst: runs started once every POST had been answered.
  const burstEnd = t0Epoch + allSubmitted;
  const calm = finished.filter((run) => Date.parse(run.startedAt as string) > burstEnd);
  const calmDurations = summarize(calm.map((run) => run.durationMs ?? NaN));
  const calmGaps = summarize(gaps.filter((_, index) => (starts[slots + index] ?? 0) > burstEnd));

  console.log(`  all ${runs} POSTs answered in ${ms(allSubmitted)} ms; ${finished.length}/${runs} succeeded, none lost`);
  console.log(`  last run finished ${total.toFixed(2)} s after the first POST (seen by polling at ${observed.toFixed(2)} s); ideal ${ideal.toFixed(2)} s`);
  console.log(`  at most ${peak} running at once (slots ${slots}); run duration p50 ${fmt(durations.p50)} ms, p95 ${fmt(durations.p95)} ms; first start ${ms(queuedFirst)} ms after the first POST`);
  const burstStarts = finished.length - calm.length;
  console.log(`  while the POSTs were being answered (${ms(allSubmitted)} ms) ${burstStarts} runs started; ${slots} busy slots would have started about ${Math.floor((allSubmitted / 1000 / (seconds + 0.05)) * slots) + slots}`);
  console.log(`  slot turnaround (a run finishing -> the next starting): p50 ${ms(gap.p50)} ms, p95 ${ms(gap.p95)} ms, max ${ms(gap.max)} ms`);
  if (calm.length > 0) console.log(`  runs started after the last POST was answered (${calm.length}): duration p50 ${fmt(calmDurations.p50)} ms, p95 ${fmt(calmDurations.p95)} ms; turnaround p50 ${ms(calmGaps.p50)} ms, p95 ${ms(calmGaps.p95)} ms, max ${ms(calmGaps.max)} ms`);
  const perRound = (calmDurations.p50 + calmGaps.p50) / 1000;
  if (calm.length > 0) console.log(`  so each slot spends about ${(perRound * 1000).toFixed(0)} ms per ${seconds} s run; ${runs} runs / ${slots} slots x that = ${((runs / slots) * perRound).toFixed(2)} s`);
  record({
    scenario: "concurrency",
    driver,
    cells: [
      `${runs} runs x ${seconds} s / ${slots} slots`,
      `${finished.length}/${runs} succeeded`,
      `total ${total.toFixed(2)} s`,
      `ideal ${ideal.toFixed(2)} s`,
      `ratio ${ratio(total, ideal)}`,
      `peak ${peak} running`,
      `run p50 ${fmt(durations.p50)} ms`,
      `turnaround p50 ${ms(gap.p50)} ms`,
    ],
  });
}
