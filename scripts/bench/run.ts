/**
 * Executor benchmark (issue 5): prints figures, each against a plain baseline measured in the same
 * run. A measurement, not a test: it fails only when the product loses or corrupts something.
 *
 *   npm run build && npm run bench
 *   npm run bench -- --only dispatch,throughput --driver pglite
 *   npm run bench -- --driver postgres --only history --history-rows 1000000
 *
 * Scenarios (see each file):
 *   dispatch     request -> first output line on the SSE stream (echo-once) vs execa('echo') to first byte;
 *                then --phase-runs runs of `clock` split that time into phases
 *   throughput   200,000 lines to `succeeded`, all persisted, vs `seq 200000 > /dev/null`
 *   concurrency  100 runs of sleep 0.5 submitted at once to 4 slots vs the ideal 100 x 0.5 / 4
 *   search       GET /runs/:id/search over 1,000,000 log lines (rare, absent and common text) vs grep -F -i
 *   browser      the run page of a 1,000,000-line run in Chromium (first line, DOM size, jump to end,
 *                search, scrolling, heap, longest main-thread task) vs the same page for 100 lines
 *   history      GET /api/v1/runs filtered at 1,000,000 runs (PostgreSQL only) vs the same SQL
 *   dashboard    the Dashboard with 50 panels at 1,000,000 runs (PostgreSQL only) vs the bare runs-list SQL
 *   hostile      requests carrying (a+)+b and 4,000-character values, timed while /api/v1/health is
 *                polled, vs health with nothing else going on
 *   steps        a run of ten trivial steps vs a run of one: the per-step overhead
 *   schedules    1,000 one-off schedules due in the same second, fired by 2 `handrail worker` processes
 *                (PostgreSQL only, on a server of its own): exactly once each, due -> run created, vs the store floor
 *
 * Each driver gets a production server (scripts/server.js on a private copy of the existing
 * `npm run build` output, so a rebuild during the run changes nothing) on a free port, with a fresh
 * HANDRAIL_DATA_DIR under the OS temp dir, the runbooks in scripts/bench/runbooks, and, on
 * PostgreSQL, a fresh database `handrail_bench_<pid>`. An admin user and its API token are made
 * with the CLI before the server starts. Servers (their whole process group), temp dirs and the
 * database are removed at the end, also on failure or Ctrl-C.
 *
 * Other options: --dispatch-runs 50, --phase-runs 20, --throughput-lines 200000,
 * --throughput-reps 3, --skip-viewer, --concurrency-runs 100, --concurrency-seconds 0.5, --slots 4,
 * --browser-lines 1000000, --search-lines 1000000, --search-reps 5, --history-rows 1000000, --history-reps 100, --steps-runs 20, --verbose (server and worker output),
 * --cpu-prof DIR (the server runs under `node --cpu-prof` and writes its profile into DIR when it stops),
 * --build DIR (serve the `.next` build of another checkout, e.g. a copy of the tree without a change).
 *
 * --isolation auto,none: dispatch and steps are measured once per HANDRAIL_ISOLATION in the list, each on
 * a server of its own (figures labelled with the mode the server reports); the other scenarios use the first.
 *
 * --driver pglite|postgres|both: default both when DATABASE_URL is set or PostgreSQL answers at
 * postgres://postgres@127.0.0.1:5432/test, else pglite. PostgreSQL is DATABASE_URL or that URL.
 * --worker separate: on PostgreSQL, runs are executed by one `handrail worker` process instead of
 * the server's in-process worker (figures labelled postgres+worker).
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import postgres from "postgres";
import { benchConcurrency } from "./concurrency";
import { benchDispatch } from "./dispatch";
import { benchHistory } from "./history";
import { benchDashboard } from "./dashboard";
import { benchHostile } from "./hostile";
import {
  BenchServer,
  cleanup,
  createBenchDatabase,
  DEFAULT_POSTGRES_URL,
  figures,
  interrupted,
  notes,
  postgresReachable,
  root,
  snapshotBuild,
  type Driver,
} from "./support";
import { benchThroughput } from "./throughput";
import { benchBrowser } from "./browser";
import { benchSearch } from "./search";
import { benchSteps } from "./steps";
import { benchSchedules } from "./schedules";

const SCENARIOS = ["dispatch", "throughput", "concurrency", "browser", "search", "history", "hostile", "steps", "schedules", "dashboard"] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: options } = parseArgs({
  options: {
    only: { type: "string", default: SCENARIOS.join(",") },
    driver: { type: "string" },
    "dispatch-runs": { type: "string", default: "50" },
    "phase-runs": { type: "string", default: "20" },
    "throughput-lines": { type: "string", default: "200000" },
    "throughput-reps": { type: "string", default: "3" },
    "skip-viewer": { type: "boolean", default: false },
    "concurrency-runs": { type: "string", default: "100" },
    "concurrency-seconds": { type: "string", default: "0.5" },
    slots: { type: "string", default: "4" },
    "browser-lines": { type: "string", default: "1000000" },
    "search-lines": { type: "string", default: "1000000" },
    "search-reps": { type: "string", default: "5" },
    "history-rows": { type: "string", default: "1000000" },
    "history-reps": { type: "string", default: "100" },
    "steps-runs": { type: "string", default: "20" },
    "schedules-count": { type: "string", default: "1000" },
    worker: { type: "string", default: "in-process" },
    verbose: { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
    build: { type: "string" },
    isolation: { type: "string", default: "auto,none" },
  },
});

function integer(name: keyof typeof options, min: number): number {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
}

const only = new Set(
  String(options.only)
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean),
);
for (const name of only) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--only: unknown scenario "${name}" (known: ${SCENARIOS.join(", ")})`);
const wanted = (scenario: Scenario) => only.has(scenario);
const dispatchRuns = integer("dispatch-runs", 5);
const phaseRuns = integer("phase-runs", 1);
const throughputLines = integer("throughput-lines", 1);
const throughputReps = integer("throughput-reps", 1);
const concurrencyRuns = integer("concurrency-runs", 1);
const concurrencySeconds = Number(options["concurrency-seconds"]);
if (!(concurrencySeconds >= 0 && concurrencySeconds <= 30)) throw new Error("--concurrency-seconds must be between 0 and 30");
const slots = integer("slots", 1);
const browserLines = integer("browser-lines", 100);
const searchLines = integer("search-lines", 100);
const searchReps = integer("search-reps", 1);
const historyRows = integer("history-rows", 1000);
const historyReps = integer("history-reps", 5);
const stepsRuns = integer("steps-runs", 1);
const schedulesCount = integer("schedules-count", 1);
if (options.worker !== "in-process" && options.worker !== "separate") throw new Error("--worker must be in-process or separate");
const workerMode = options.worker;
const isolations = String(options.isolation)
  .split(",")
  .map((name) => name.trim())
  .filter(Boolean);
for (const name of isolations) if (!["auto", "sandbox", "user", "none"].includes(name)) throw new Error(`--isolation: unknown mode "${name}"`);
if (isolations.length === 0) throw new Error("--isolation needs at least one mode");

const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

async function gitCommit(): Promise<string> {
  const head = await execa("git", ["rev-parse", "--short", "HEAD"], { cwd: root, reject: false });
  const dirty = await execa("git", ["--no-optional-locks", "status", "--porcelain", "--untracked-files=no", "--", "app", "lib"], { cwd: root, reject: false });
  if (head.exitCode !== 0) return "unknown";
  return `${head.stdout.trim()}${dirty.stdout.trim() ? " (+ uncommitted changes in app/ or lib/)" : ""}`;
}

async function postgresInfo(url: string): Promise<string> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await client<{ version: string; shared_buffers: string; work_mem: string }[]>`
      select version() as version, current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem`;
    return row ? `${row.version.split(" on ")[0]}, shared_buffers ${row.shared_buffers}, work_mem ${row.work_mem}` : "unknown";
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function main() {
  const adminUrl = process.env.DATABASE_URL || DEFAULT_POSTGRES_URL;
  let drivers: Driver[];
  if (options.driver === "pglite" || options.driver === "postgres") drivers = [options.driver];
  else if (options.driver === "both") drivers = ["pglite", "postgres"];
  else if (options.driver === undefined) drivers = process.env.DATABASE_URL || (await postgresReachable(adminUrl)) ? ["pglite", "postgres"] : ["pglite"];
  else throw new Error("--driver must be pglite, postgres or both");
  if (drivers.includes("postgres") && !(await postgresReachable(adminUrl))) throw new Error(`PostgreSQL is not reachable at ${adminUrl.replace(/\/\/[^@]*@/, "//…@")}`);

  const cpus = os.cpus();
  console.log("# Handrail executor benchmark");
  console.log(`commit   ${await gitCommit()}`);
  console.log(`machine  ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()}`);
  console.log(`node     ${process.version}`);
  if (drivers.includes("postgres")) console.log(`postgres ${await postgresInfo(adminUrl)} (${new URL(adminUrl).host})`);
  console.log(`drivers  ${drivers.join(", ")}; scenarios ${[...only].join(", ")}; load average at start ${load()}`);
  const build = await snapshotBuild(options.build ? path.resolve(options.build) : root);
  console.log(`build    ${build.buildId}, built ${build.builtAt.toISOString()}, copied to ${build.appDir}`);

  for (const driver of drivers) {
    for (const [index, isolation] of isolations.entries()) {
      // The first isolation mode gets every scenario; the others only dispatch and steps, to compare.
      const scenarios = SCENARIOS.filter((scenario) => wanted(scenario) && scenario !== "schedules" && ((scenario !== "history" && scenario !== "dashboard") || driver === "postgres") && (index === 0 || scenario === "dispatch" || scenario === "steps"));
      if (scenarios.length === 0) continue;
      const databaseUrl = driver === "postgres" ? await createBenchDatabase(adminUrl) : undefined;
      const bootStart = performance.now();
      // The embedded database allows one process: its worker is always the server's own.
      const worker = driver === "postgres" ? workerMode : "in-process";
      const server = await BenchServer.start({ driver, appDir: build.appDir, ...(databaseUrl ? { databaseUrl } : {}), concurrency: slots, worker, verbose: options.verbose, cpuProfDir: options["cpu-prof"], isolation, personas: scenarios.includes("hostile") });
      const mode = await server.isolationMode();
      const firstFigure = figures.length;
      console.log(`\n# ${driver}, isolation ${mode} (HANDRAIL_ISOLATION=${isolation}): server on ${server.base} (data dir ${server.dataDir}${databaseUrl ? `, database ${new URL(databaseUrl).pathname.slice(1)}` : ""}; ${worker === "separate" ? "a separate `handrail worker`" : "in-process worker"} with ${slots} slots), ready in ${((performance.now() - bootStart) / 1000).toFixed(1)} s; load ${load()}`);
      if (scenarios.includes("dispatch")) await benchDispatch(server, driver, { runs: dispatchRuns, warmup: 5, phaseRuns });
      if (scenarios.includes("throughput")) await benchThroughput(server, driver, { lines: throughputLines, reps: throughputReps, viewer: !options["skip-viewer"] });
      if (scenarios.includes("concurrency")) await benchConcurrency(server, driver, { runs: concurrencyRuns, seconds: concurrencySeconds, slots });
      if (scenarios.includes("browser")) await benchBrowser(server, driver, { lines: browserLines });
      if (scenarios.includes("search")) await benchSearch(server, driver, { lines: searchLines, reps: searchReps });
      if (scenarios.includes("history") && databaseUrl) await benchHistory(server, databaseUrl, { rows: historyRows, reps: historyReps });
      if (scenarios.includes("dashboard") && databaseUrl) await benchDashboard(server, databaseUrl, { rows: historyRows, reps: historyReps });
      if (scenarios.includes("hostile")) await benchHostile(server, driver);
      if (scenarios.includes("steps")) await benchSteps(server, driver, { runs: stepsRuns });
      await server.stop();
      for (const figure of figures.slice(firstFigure)) figure.driver += `${worker === "separate" ? "+worker" : ""} ${mode}`;
    }
    if (wanted("schedules") && driver === "postgres") {
      // A server of its own: its worker off, two `handrail worker` processes, each with its scheduler.
      const databaseUrl = await createBenchDatabase(adminUrl);
      const server = await BenchServer.start({ driver, appDir: build.appDir, databaseUrl, concurrency: slots, worker: "separate", workers: 2, verbose: options.verbose, cpuProfDir: options["cpu-prof"], isolation: isolations[0] ?? "auto" });
      console.log(`\n# postgres, schedules: server on ${server.base} with its worker off, 2 \`handrail worker\` processes of ${slots} slots; load ${load()}`);
      await benchSchedules(server, databaseUrl, { count: schedulesCount });
      await server.stop();
    }
  }
  if (wanted("dashboard") && !drivers.includes("postgres")) notes.push("dashboard skipped: it needs PostgreSQL (set DATABASE_URL or start one at 127.0.0.1:5432)");
  if (wanted("history") && !drivers.includes("postgres")) notes.push("history skipped: it needs PostgreSQL (set DATABASE_URL or start one at 127.0.0.1:5432)");
  if (wanted("schedules") && !drivers.includes("postgres")) notes.push("schedules skipped: it needs PostgreSQL (several worker processes)");

  console.log(`\n# Figures (load average at end ${load()})\n`);
  const width = Math.max(...figures.map((figure) => figure.scenario.length));
  for (const figure of figures) console.log(`${figure.scenario.padEnd(width)}  ${figure.driver.padEnd(24)}  ${figure.cells.join("  ")}`);
  for (const note of notes) console.log(`note: ${note}`);
}

main()
  .then(() => cleanup())
  .catch(async (error: unknown) => {
    if (!interrupted) console.error(error);
    await cleanup().catch((cleanupError: unknown) => console.error(cleanupError));
    process.exitCode = 1;
  });
