/**
 * Output search: `GET /runs/:id/search` over a run of a million log-like lines, against a plain
 * `grep -F -i -m <limit>` of the same text (the run's `/output`, written to a file and read once
 * so it is in the page cache) in the same run.
 *
 * Queries: a line near the end and one in the middle (rare: the whole output is searched), text
 * that appears nowhere (the worst case: everything is searched and nothing found), a term on a
 * few hundred lines, and a term on every third line (the first page comes at once).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { ms, ratio, record, summarize, type BenchServer, type Driver } from "./support";

export interface SearchOptions {
  lines: number;
  reps: number;
}

const LIMIT = 100;

export async function benchSearch(server: BenchServer, driver: Driver, options: SearchOptions): Promise<void> {
  console.log(`\n## search (${driver}): ${options.lines.toLocaleString("en")} log lines, ${options.reps} reps per query, vs grep -F -i -m ${LIMIT}`);
  const started = performance.now();
  const run = await server.requestRun("log-lines", { lines: options.lines });
  const finished = await server.waitFinished(run.id, 250);
  if (finished.status !== "succeeded") throw new Error(`log-lines run ${run.id} ended ${finished.status}`);
  console.log(`  stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-bench-search-"));
  const file = path.join(dir, "output.txt");
  try {
    const response = await fetch(`${server.base}/api/v1/runs/${run.id}/output`, { headers: server.headers() });
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    await execa("cat", [file], { stdout: "ignore" });
    const queries = [
      { label: "near the end", q: `req=${options.lines - 1} ` },
      { label: "in the middle", q: `req=${Math.floor(options.lines / 2) + 1} ` },
      { label: "nowhere", q: "no-such-text" },
      { label: "about a hundred lines", q: "user=u4242" },
      { label: "every third line", q: "cache=miss" },
    ];
    const all: number[] = [];
    const allGrep: number[] = [];
    for (const { label, q } of queries) {
      const times: number[] = [];
      const grepTimes: number[] = [];
      let found = 0;
      let grepFound = 0;
      for (let rep = 0; rep < options.reps; rep++) {
        const t0 = performance.now();
        const page = await server.request<{ matches: unknown[] }>("GET", `/runs/${run.id}/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`);
        times.push(performance.now() - t0);
        found = page.matches.length;
        const g0 = performance.now();
        const grep = await execa("grep", ["-F", "-i", "-m", String(LIMIT), "--", q, file], { reject: false });
        grepTimes.push(performance.now() - g0);
        grepFound = grep.stdout === "" ? 0 : grep.stdout.split("\n").length;
      }
      if (found !== grepFound) throw new Error(`search for "${q}" found ${found} lines, grep ${grepFound}`);
      all.push(...times);
      allGrep.push(...grepTimes);
      const search = summarize(times);
      const grep = summarize(grepTimes);
      console.log(`  ${label.padEnd(20)} "${q}": ${found} found, search p50 ${ms(search.p50)} ms (max ${ms(search.max)}), grep p50 ${ms(grep.p50)} ms`);
    }
    const search = summarize(all);
    const grep = summarize(allGrep);
    record({
      scenario: "search",
      driver,
      cells: [`${options.lines.toLocaleString("en")} lines`, `p50 ${ms(search.p50)} ms`, `p95 ${ms(search.p95)} ms`, `grep p50 ${ms(grep.p50)} ms`, `ratio ${ratio(search.p50, grep.p50)}`],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
