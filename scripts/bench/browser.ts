/**
 * Browser: the run page of a finished run with N lines (default 1,000,000) in Chromium, against the
 * same page for a run of 100 lines measured in the same browser (the baseline).
 *
 * For each run: time from navigation to its first line on screen; rows and elements in the DOM;
 * "Jump to end" until the last line is on screen; a server-side search for a line near the end
 * until the viewer has scrolled to it; 20 jumps of the scrollbar to spread positions, each until
 * no row is left pending; the JS heap afterwards (after a GC). Over the whole visit, the longest
 * task or animation frame that blocked the page's main thread (PerformanceObserver "longtask" and
 * "long-animation-frame", which report only those over 50 ms): a frozen page shows up there,
 * whatever the other figures say.
 */
import fs from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { fmt, ms, notes, record, summarize, type BenchServer, type Driver } from "./support";

export interface BrowserOptions {
  lines: number;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCROLL_JUMPS = 20;

interface PageFigures {
  firstLineMs: number;
  domRows: number;
  domElements: number;
  jumpToEndMs: number;
  searchMs: number;
  scrollP50Ms: number;
  scrollMaxMs: number;
  heapMb: number;
  longestTaskMs: number;
}

declare global {
  interface Window {
    longestTaskMs?: number;
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function signIn(page: Page, server: BenchServer): Promise<void> {
  await page.goto(`${server.base}/signin`);
  await page.getByLabel("Email").fill(server.adminEmail);
  await page.getByLabel("Password").fill(server.adminPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/runbooks$/);
}

async function visit(page: Page, server: BenchServer, runId: number, lines: number): Promise<PageFigures> {
  const output = page.getByTestId("run-output");
  const line = (seq: number) => output.locator(`.line[data-seq="${seq}"]`);
  const firstLineMs = await timed(async () => {
    await page.goto(`${server.base}/runs/${runId}`);
    await line(1).waitFor({ state: "visible", timeout: 120_000 });
  });
  await page.locator(".output-panel").evaluate((panel) => panel.scrollIntoView({ block: "end" }));
  const domRows = await output.locator(".line").count();
  const domElements = await page.evaluate(() => document.getElementsByTagName("*").length);

  const jumpToEndMs = await timed(async () => {
    await page.getByRole("button", { name: "Jump to end" }).click();
    await line(lines).waitFor({ state: "visible", timeout: 120_000 });
  });
  await page.getByRole("button", { name: "Jump to start" }).click();
  await line(1).waitFor({ state: "visible" });

  // print-lines prints the numbers 1..N, so N-1 as text matches line N-1 and nothing else.
  const target = lines - 1;
  const searchMs = await timed(async () => {
    await page.getByLabel("Search output").fill(String(target));
    await output.locator(`.line-current[data-seq="${target}"]`).waitFor({ state: "visible", timeout: 120_000 });
  });
  await page.getByLabel("Search output").fill("");

  const scrollMs: number[] = [];
  for (let jump = 1; jump <= SCROLL_JUMPS; jump++) {
    const fraction = ((jump * 7) % SCROLL_JUMPS) / SCROLL_JUMPS;
    scrollMs.push(
      await timed(async () => {
        await output.evaluate((element, at) => element.scrollTo({ top: (element.scrollHeight - element.clientHeight) * at }), fraction);
        await page.waitForFunction(() => {
          const pane = document.querySelector('[data-testid="run-output"]');
          return pane !== null && pane.querySelector(".row-pending") === null && pane.querySelector(".line") !== null;
        }, undefined, { timeout: 60_000 });
      }),
    );
  }
  const scroll = summarize(scrollMs);

  const session = await page.context().newCDPSession(page);
  await session.send("HeapProfiler.collectGarbage");
  const { usedSize } = await session.send("Runtime.getHeapUsage");
  await session.detach();
  const longestTaskMs = await page.evaluate(() => window.longestTaskMs ?? 0);
  return { firstLineMs, domRows, domElements, jumpToEndMs, searchMs, scrollP50Ms: scroll.p50, scrollMaxMs: scroll.max, heapMb: usedSize / 1024 / 1024, longestTaskMs };
}

async function finishedRun(server: BenchServer, lines: number): Promise<number> {
  const run = await server.requestRun("print-lines", { lines });
  const finished = await server.waitFinished(run.id, 250);
  if (finished.status !== "succeeded" || finished.output.lines !== lines) {
    throw new Error(`print-lines run ${run.id}: ${finished.status} with ${finished.output.lines} lines, expected ${lines}`);
  }
  return run.id;
}

export async function benchBrowser(server: BenchServer, driver: Driver, options: BrowserOptions): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    notes.push(`browser skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  console.log(`\n## browser (${driver}): the run page of a ${fmt(options.lines)}-line run in Chromium, against a 100-line run`);
  const producing = performance.now();
  const big = await finishedRun(server, options.lines);
  console.log(`  print-lines ${fmt(options.lines)}: run ${big} stored in ${((performance.now() - producing) / 1000).toFixed(1)} s`);
  const small = await finishedRun(server, 100);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    // One unmeasured visit first, so neither measured page pays for the browser's cold start.
    const warmUp = await browser.newContext();
    const warmPage = await warmUp.newPage();
    await signIn(warmPage, server);
    await warmPage.goto(`${server.base}/runs/${small}`);
    await warmPage.getByTestId("run-output").locator('.line[data-seq="1"]').waitFor({ state: "visible", timeout: 120_000 });
    await warmUp.close();

    const results: Array<[string, PageFigures]> = [];
    for (const [label, id, lines] of [["100 lines", small, 100], [`${fmt(options.lines)} lines`, big, options.lines]] as const) {
      // A fresh page per run, so the heap and the longest task belong to that visit alone.
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
      await context.addInitScript(() => {
        window.longestTaskMs = 0;
        // A long task blocks input; a long animation frame also counts the style, layout and paint it delayed.
        for (const type of ["longtask", "long-animation-frame"]) {
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) window.longestTaskMs = Math.max(window.longestTaskMs ?? 0, entry.duration);
          }).observe({ type, buffered: true });
        }
      });
      const page = await context.newPage();
      await signIn(page, server);
      const figures = await visit(page, server, id, lines);
      await context.close();
      results.push([label, figures]);
      console.log(
        `  ${label.padEnd(16)} first line ${ms(figures.firstLineMs)} ms · ${figures.domRows} rows, ${fmt(figures.domElements)} elements in the DOM · jump to end ${ms(figures.jumpToEndMs)} ms · ` +
          `search to line ${fmt(lines - 1)} ${ms(figures.searchMs)} ms · scroll jump p50 ${ms(figures.scrollP50Ms)} / max ${ms(figures.scrollMaxMs)} ms · heap ${figures.heapMb.toFixed(1)} MB · longest task ${ms(figures.longestTaskMs)} ms`,
      );
    }
    const [, baseline] = results[0] ?? [];
    const [, large] = results[1] ?? [];
    if (!baseline || !large) return;
    const times = (value: number, base: number) => (base > 0 ? (value / base).toFixed(1) : "-");
    record({
      scenario: "browser",
      driver,
      cells: [
        `${fmt(options.lines)} lines`,
        `first line ${ms(large.firstLineMs)} ms (${times(large.firstLineMs, baseline.firstLineMs)}× 100 lines)`,
        `DOM ${large.domRows} rows`,
        `end ${ms(large.jumpToEndMs)} ms`,
        `search ${ms(large.searchMs)} ms`,
        `scroll p50 ${ms(large.scrollP50Ms)} ms`,
        `heap ${large.heapMb.toFixed(1)} MB (${times(large.heapMb, baseline.heapMb)}×)`,
        `longest task ${ms(large.longestTaskMs)} ms (100 lines: ${ms(baseline.longestTaskMs)})`,
      ],
    });
  } finally {
    await browser.close();
  }
}
