/**
 * Steps: what a step costs beyond its process. A run of ten trivial steps (`echo`) against a run of
 * one such step, alternating, each followed to its end over the stream. From the runs' own
 * timestamps: per-step overhead = (ten-step duration - one-step duration) / 9, paired run by run;
 * and from the steps' own timestamps the gap between one step ending and the next starting.
 */
import { ms, ratio, record, sleep, summarize, type BenchServer, type Driver, type RunDto } from "./support";
import type { StepDto } from "../../lib/services/runs/steps/step-dto";

export interface StepsOptions {
  runs: number;
}

type StepsRun = RunDto & { steps?: StepDto[] };

async function timedRun(server: BenchServer, slug: string): Promise<StepsRun> {
  const stream = await server.requestRunFollowing(slug);
  await stream.untilEnd();
  if (!stream.run) throw new Error(`${slug}: the followed request ended before its run event`);
  const run: StepsRun = await server.getRun(stream.run.id);
  if (run.status !== "succeeded") throw new Error(`${slug} run ${run.id} ended ${run.status}: ${run.errorMessage ?? ""}`);
  return run;
}

export async function benchSteps(server: BenchServer, driver: Driver, options: StepsOptions): Promise<void> {
  console.log(`\n## steps (${driver}): ${options.runs} runs of ten-steps (10 x echo) alternating with one-step (1 x echo), 200 ms apart`);
  for (let warmup = 0; warmup < 3; warmup++) {
    await timedRun(server, "one-step");
    await timedRun(server, "ten-steps");
  }
  const ten: number[] = [];
  const one: number[] = [];
  const perStep: number[] = [];
  const gaps: number[] = [];
  const stepDurations: number[] = [];
  for (let index = 0; index < options.runs; index++) {
    const single = await timedRun(server, "one-step");
    await sleep(200);
    const tenSteps = await timedRun(server, "ten-steps");
    await sleep(200);
    const singleMs = single.durationMs ?? NaN;
    const tenMs = tenSteps.durationMs ?? NaN;
    one.push(singleMs);
    ten.push(tenMs);
    perStep.push((tenMs - singleMs) / 9);
    const steps = tenSteps.steps ?? [];
    for (const [position, step] of steps.entries()) {
      if (step.startedAt && step.finishedAt) stepDurations.push(Date.parse(step.finishedAt) - Date.parse(step.startedAt));
      const next = steps[position + 1];
      if (next?.startedAt && step.finishedAt) gaps.push(Date.parse(next.startedAt) - Date.parse(step.finishedAt));
    }
  }
  const [tenSummary, oneSummary, perStepSummary, gapSummary, stepSummary] = [ten, one, perStep, gaps, stepDurations].map(summarize);
  console.log(`  one-step run (request committed -> finished, server clock): p50 ${ms(oneSummary?.p50 ?? NaN)} ms, p95 ${ms(oneSummary?.p95 ?? NaN)} ms`);
  console.log(`  ten-steps run: p50 ${ms(tenSummary?.p50 ?? NaN)} ms, p95 ${ms(tenSummary?.p95 ?? NaN)} ms`);
  console.log(`  each step, started -> ended (its process and its records): p50 ${ms(stepSummary?.p50 ?? NaN)} ms; gap to the next step's start p50 ${ms(gapSummary?.p50 ?? NaN)} ms`);
  record({
    scenario: "steps",
    driver,
    cells: [
      `per-step overhead p50 ${ms(perStepSummary?.p50 ?? NaN)} ms`,
      `p95 ${ms(perStepSummary?.p95 ?? NaN)} ms`,
      `ten-steps p50 ${ms(tenSummary?.p50 ?? NaN)} ms`,
      `baseline one-step p50 ${ms(oneSummary?.p50 ?? NaN)} ms`,
      `ratio ${ratio(tenSummary?.p50 ?? NaN, (oneSummary?.p50 ?? NaN) * 10)} of 10 x one-step`,
    ],
  });
}
