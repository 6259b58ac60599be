/**
 * Shared helpers for `npm run bench` (scripts/bench/run.ts): statistics and formatting, cleanup on
 * exit, a production server on a fresh database, the REST API and its SSE stream.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import postgres from "postgres";
import type { RunDto } from "../../lib/services/runs/run-dto";

export type { RunDto };

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const benchRunbooksDir = path.join(root, "scripts", "bench", "runbooks");
export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

export type Driver = "pglite" | "postgres";

// ---------------------------------------------------------------- statistics and formatting

export const ms = (value: number) => (Number.isNaN(value) ? "-" : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
export const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
export const ratio = (value: number, baseline: number) => (baseline > 0 ? (value / baseline).toFixed(value / baseline >= 100 ? 0 : 1) : "-");
export const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Nearest-rank percentile of an ascending list, as in scripts/bench-audit.ts. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

export interface Summary {
  p50: number;
  p95: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN, n: sorted.length };
}

/** Wall-clock time in epoch milliseconds with sub-millisecond resolution, comparable to server timestamps. */
export const epochNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- the figures table

export interface Figure {
  scenario: string;
  /** The driver, plus "+worker" when the runs were executed by a separate `handrail worker`. */
  driver: string;
  /** Cells after scenario and driver, e.g. ["p50 12.3 ms", "p95 20.1 ms", …]. */
  cells: string[];
}

export const figures: Figure[] = [];
export const notes: string[] = [];

export function record(figure: Figure): void {
  figures.push(figure);
  console.log(`  => ${figure.scenario}  ${figure.driver}  ${figure.cells.join("  ")}`);
}

// ---------------------------------------------------------------- cleanup, also on failure or Ctrl-C

const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | undefined;

/** Registers an undo step; steps run newest first. Returns a function that runs this step now, once. */
export function onCleanup(step: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    await step();
  };
  cleanups.push(once);
  return once;
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

/** Set on Ctrl-C or SIGTERM: requests then fail because the servers are going away, which is no news. */
export let interrupted = false;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- PostgreSQL

export async function postgresReachable(url: string): Promise<boolean> {
  const client = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** Creates `handrail_bench_<pid>` on the server of `adminUrl`; dropped at cleanup. Returns its URL. */
export async function createBenchDatabase(adminUrl: string): Promise<string> {
  const name = `handrail_bench_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  onCleanup(async () => {
    const dropper = postgres(adminUrl, { max: 1, onnotice: () => undefined });
    try {
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      console.log(`dropped database ${name}`);
    } finally {
      await dropper.end({ timeout: 5 });
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- a production server on a fresh database

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

/**
 * Copies the production build (without its cache) to a private app directory under the OS temp
 * dir, so that a `npm run build` started by someone else during the benchmark neither breaks the
 * servers nor changes the code they run. node_modules is linked, not copied. Fails without a build;
 * warns when app/ or lib/ changed after it (the figures would describe the built code).
 * `source` is the checkout whose build is used (default: this one), e.g. a copy of the tree built
 * without a change, to compare two builds turn by turn on a noisy machine.
 */
export async function snapshotBuild(source = root): Promise<{ appDir: string; buildId: string; builtAt: Date }> {
  const nextDir = path.join(source, ".next");
  const buildIdFile = path.join(nextDir, "BUILD_ID");
  // A build in progress has removed BUILD_ID and holds .next/lock: wait for it (up to 5 minutes).
  for (let waited = 0; !fs.existsSync(buildIdFile) && fs.existsSync(path.join(nextDir, "lock")) && waited < 300; waited += 5) {
    if (waited === 0) console.log("waiting for a running `npm run build` to finish …");
    await sleep(5000);
  }
  if (!fs.existsSync(buildIdFile)) throw new Error("no production build in .next: run `npm run build` first");
  const buildId = fs.readFileSync(buildIdFile, "utf8").trim();
  const builtAt = fs.statSync(buildIdFile).mtime;
  const newest = Math.max(...["app", "lib", "instrumentation.ts", "next.config.js"].map((entry) => newestMtime(path.join(source, entry))));
  if (newest > builtAt.getTime()) {
    const message = `the build (${builtAt.toISOString()}) is older than the newest change in app/ or lib/ (${new Date(newest).toISOString()}): the servers run the built code`;
    console.warn(`warning: ${message}`);
    notes.push(message);
  }
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-bench-app-"));
  onCleanup(() => fs.rmSync(appDir, { recursive: true, force: true }));
  fs.cpSync(nextDir, path.join(appDir, ".next"), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !["cache", "dev", "trace", "trace-build"].includes(path.relative(nextDir, source)),
  });
  for (const entry of ["package.json", "next.config.js", "drizzle"]) fs.cpSync(path.join(source, entry), path.join(appDir, entry), { recursive: true });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(appDir, "node_modules"), "dir");
  const copiedId = fs.readFileSync(path.join(appDir, ".next", "BUILD_ID"), "utf8").trim();
  if (copiedId !== buildId || !fs.existsSync(buildIdFile) || fs.readFileSync(buildIdFile, "utf8").trim() !== buildId) {
    throw new Error("the build changed while it was being copied (someone is running `npm run build`): try again when it has finished");
  }
  return { appDir, buildId, builtAt };
}

let clockTicks: number | undefined;
/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat: 100 on practically every Linux. */
function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** A child process in its own process group, with the tail of its output kept for error messages. */
class GroupProcess {
  readonly log: string[] = [];
  readonly child: ChildProcess;

  constructor(label: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, verbose: boolean) {
    // Its own process group, so stopping it reaches every process it started; Next renames its
    // process title, so nothing here relies on names.
    this.child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        this.log.push(line);
        if (this.log.length > 200) this.log.shift();
        if (verbose) console.log(`  [${label}] ${line}`);
      }
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    onCleanup(() => this.stop());
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  tail(lines = 20): string {
    return this.log.slice(-lines).join("\n");
  }

  /** SIGTERM to the process group (a server or worker stops its runs and closes the database), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const { child } = this;
    if (!child.pid || this.exited) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // already gone
      }
    };
    signalGroup("SIGTERM");
    const killed = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
    if (killed) {
      signalGroup("SIGKILL");
      await exited;
    }
  }
}

export interface ServerOptions {
  driver: Driver;
  /** From snapshotBuild(). */
  appDir: string;
  /** PostgreSQL only: the (fresh) database to use. */
  databaseUrl?: string;
  concurrency: number;
  /**
   * in-process: the web server's own worker (the default setup). separate (PostgreSQL only): the
   * server with HANDRAIL_WORKER=off and one `handrail worker` process (run from the sources).
   */
  worker: "in-process" | "separate";
  /** With a separate worker: how many `handrail worker` processes (default 1). */
  workers?: number;
  verbose: boolean;
  /** Writes a V8 CPU profile of the server (`node --cpu-prof`) into this directory when it stops. */
  cpuProfDir?: string | undefined;
  /** HANDRAIL_ISOLATION for the server and its worker (default auto). */
  isolation?: string;
  /** Also make a developer and an auditor, each with a token (`personaTokens`). */
  personas?: boolean;
}

export class BenchServer {
  readonly base: string;
  private server: GroupProcess | undefined;
  private readonly workers: GroupProcess[] = [];
  token = "";
  /** Tokens of the developer and auditor made with `personas`. */
  readonly personaTokens: Partial<Record<"developer" | "auditor", string>> = {};
  /** The admin the CLI made, for a browser sign-in. */
  readonly adminEmail = "bench-admin@handrail.bench";
  readonly adminPassword = randomBytes(12).toString("hex");

  private constructor(
    readonly options: ServerOptions,
    readonly port: number,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  /**
   * A fresh data directory (and, on PostgreSQL, the given fresh database); an admin user and an API
   * token made with the CLI before the server holds the database; then `next start` on a free port.
   */
  static async start(options: ServerOptions): Promise<BenchServer> {
    const separate = options.worker === "separate";
    if (separate && options.driver !== "postgres") throw new Error("a separate worker needs PostgreSQL");
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `handrail-bench-${options.driver}-`));
    onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HANDRAIL_DATA_DIR: dataDir,
      HANDRAIL_RUNBOOKS_DIR: benchRunbooksDir,
      HANDRAIL_DEMO: "off",
      HANDRAIL_WORKER: separate ? "off" : "on",
      HANDRAIL_WORKER_CONCURRENCY: String(options.concurrency),
      HANDRAIL_ISOLATION: options.isolation ?? "auto",
      AUTH_SECRET: randomBytes(33).toString("base64"),
      AUTH_TRUST_HOST: "true",
      NEXT_MANUAL_SIG_HANDLE: "true",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete env.DATABASE_URL;
    delete env.HANDRAIL_OUTPUT_RETENTION_DAYS;
    if (options.driver === "postgres") {
      if (!options.databaseUrl) throw new Error("databaseUrl is required for PostgreSQL");
      env.DATABASE_URL = options.databaseUrl;
    }
    const server = new BenchServer(options, port, dataDir, env);
    await server.cli(["user", "add", "--email", server.adminEmail, "--name", "Bench Admin", "--role", "admin", "--password", server.adminPassword]);
    server.token = (await server.cli(["token", "create", "--email", server.adminEmail, "--label", "bench"])).trim().split("\n").at(-1) ?? "";
    if (!server.token.startsWith("hr_")) throw new Error(`token create printed no token`);
    for (const role of options.personas ? (["developer", "auditor"] as const) : []) {
      const email = `bench-${role}@handrail.bench`;
      await server.cli(["user", "add", "--email", email, "--name", `Bench ${role}`, "--role", role, "--password", randomBytes(12).toString("hex")]);
      server.personaTokens[role] = (await server.cli(["token", "create", "--email", email, "--label", "bench"])).trim().split("\n").at(-1) ?? "";
    }
    await server.boot();
    if (separate) for (let index = 0; index < (options.workers ?? 1); index++) await server.startWorker();
    return server;
  }

  /** The isolation mode the server reports (sandbox, user or none). */
  async isolationMode(): Promise<string> {
    const health = (await (await fetch(`${this.base}/api/v1/health`)).json()) as { isolation?: string };
    return health.isolation ?? "unknown";
  }

  /** `node bin/handrail.js …` with the server's environment; returns stdout. */
  async cli(args: string[]): Promise<string> {
    const result = await execa(process.execPath, [path.join(root, "bin", "handrail.js"), ...args], { cwd: root, env: this.env, extendEnv: false, reject: false });
    if (result.exitCode !== 0) throw new Error(`handrail ${args.slice(0, 2).join(" ")} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  }

  private async boot(): Promise<void> {
    const serverScript = path.join(root, "scripts", "server.js");
    // --cpu-prof is refused in NODE_OPTIONS, so it goes on the command line.
    const profile = this.options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${this.options.cpuProfDir}`, "--cpu-prof-interval=250"] : [];
    const server = new GroupProcess("server", [...profile, serverScript, "--port", String(this.port), "--hostname", "127.0.0.1"], this.options.appDir, this.env, this.options.verbose);
    this.server = server;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      if (server.exited) throw new Error(`server exited with ${server.child.exitCode}:\n${server.tail()}`);
      try {
        // Boot (migrate, load runbooks, start the worker) finishes before the first request is served.
        const response = await fetch(`${this.base}/api/v1/runbooks`, { headers: this.headers() });
        if (response.ok) {
          const body = (await response.json()) as { runbooks: { slug: string }[] };
          const slugs = body.runbooks.map((runbook) => runbook.slug);
          for (const wanted of ["echo-once", "clock", "print-lines", "sleep"]) {
            if (!slugs.includes(wanted)) throw new Error(`runbook ${wanted} not loaded from ${benchRunbooksDir}:\n${server.tail()}`);
          }
          return;
        }
        if (response.status !== 503 && response.status !== 502) throw new Error(`GET /api/v1/runbooks: ${response.status} ${await response.text()}`);
      } catch (error) {
        if (error instanceof TypeError) {
          // not listening yet
        } else throw error;
      }
      await sleep(250);
    }
    throw new Error(`server did not come up:\n${server.tail()}`);
  }

  private async startWorker(): Promise<void> {
    const profile = this.options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${this.options.cpuProfDir}`, "--cpu-prof-interval=250"] : [];
    const worker = new GroupProcess(`worker${this.workers.length + 1}`, [...profile, path.join(root, "bin", "handrail.js"), "worker", "--concurrency", String(this.options.concurrency)], root, this.env, this.options.verbose);
    this.workers.push(worker);
    const deadline = Date.now() + 60_000;
    while (!worker.log.some((line) => /worker .* started/.test(line))) {
      if (worker.exited) throw new Error(`handrail worker exited with ${worker.child.exitCode}:\n${worker.tail()}`);
      if (Date.now() > deadline) throw new Error(`handrail worker did not start:\n${worker.tail()}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.server?.stop();
  }

  /**
   * CPU time (user + system, ms) used so far by the server's process group, from /proc; undefined
   * where there is no /proc. The runs' own processes are in their own groups and do not count. On
   * a loaded machine this moves far less than wall time, so it shows what a change saves.
   */
  cpuTimeMs(): number | undefined {
    const group = this.server?.child.pid;
    if (!group || !fs.existsSync("/proc/self/stat")) return undefined;
    let ticks = 0;
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      // Fields after the parenthesised command: state ppid pgrp … utime (14th field) stime (15th).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return (ticks * 1000) / clockTicksPerSecond();
  }

  headers(json = false): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, ...(json ? { "Content-Type": "application/json" } : {}) };
  }

  async request<T>(method: "GET" | "POST", pathname: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}/api/v1${pathname}`, {
      method,
      headers: this.headers(body !== undefined),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  requestRun(slug: string, params: Record<string, unknown> = {}): Promise<RunDto> {
    return this.request<RunDto>("POST", `/runbooks/${slug}/runs`, { params });
  }

  getRun(id: number): Promise<RunDto> {
    return this.request<RunDto>("GET", `/runs/${id}`);
  }

  /** Polls until the run is final. */
  async waitFinished(id: number, intervalMs = 25, timeoutMs = 600_000): Promise<RunDto> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(id);
      if (run.finishedAt !== null && !["queued", "running"].includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
      await sleep(intervalMs);
    }
  }

  /** Opens the SSE stream; the caller reads it with `SseReader`. */
  /** `POST /runbooks/:slug/runs?follow=1`: the run and its output in one response. */
  async requestRunFollowing(slug: string, params: Record<string, unknown> = {}): Promise<SseReader> {
    const response = await fetch(`${this.base}/api/v1/runbooks/${slug}/runs?follow=1`, { method: "POST", headers: this.headers(true), body: JSON.stringify({ params }) });
    if (!response.ok || !response.body) throw new Error(`POST /runbooks/${slug}/runs?follow=1: ${response.status} ${await response.text()}`);
    return new SseReader(response.body.getReader());
  }

  async openStream(id: number, after = 0): Promise<SseReader> {
    const response = await fetch(`${this.base}/api/v1/runs/${id}/stream${after > 0 ? `?after=${after}` : ""}`, { headers: this.headers() });
    if (!response.ok || !response.body) throw new Error(`GET /runs/${id}/stream: ${response.status} ${await response.text()}`);
    return new SseReader(response.body.getReader());
  }
}

/** Reads an SSE response chunk by chunk; knows when the first `line` event and `end` arrived. */
export class SseReader {
  private readonly decoder = new TextDecoder();
  private tail = "";
  /** performance.now() when the chunk holding the first `event: line` arrived. */
  firstLineAt: number | undefined;
  /** The first line event's JSON (seq, stream, at, line). */
  firstLine: { seq: number; at: string; line: string } | undefined;
  lines = 0;
  lastSeq = 0;
  ended = false;
  /** The `run` event a request-and-follow opens with. */
  run: RunDto | undefined;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads one chunk; false at the end of the stream. */
  async next(): Promise<boolean> {
    const { done, value } = await this.reader.read();
    const now = performance.now();
    if (done) return false;
    const text = this.tail + this.decoder.decode(value, { stream: true });
    const events = text.split("\n\n");
    this.tail = events.pop() ?? "";
    for (const event of events) {
      if (event.includes("event: line")) {
        this.lines += 1;
        const data = event.split("\n").find((field) => field.startsWith("data: "));
        const parsed = data ? (JSON.parse(data.slice(6)) as { seq: number; at: string; line: string }) : undefined;
        if (parsed) this.lastSeq = parsed.seq;
        if (this.firstLineAt === undefined) {
          this.firstLineAt = now;
          this.firstLine = parsed;
        }
      } else if (event.includes("event: end")) this.ended = true;
      else if (event.startsWith("event: run\n")) this.run = JSON.parse(event.slice(event.indexOf("data: ") + 6)) as RunDto;
    }
    return true;
  }

  async untilFirstLine(): Promise<number> {
    while (this.firstLineAt === undefined) if (!(await this.next())) throw new Error("stream ended before any line");
    return this.firstLineAt;
  }

  async untilEnd(): Promise<void> {
    while (!this.ended) if (!(await this.next())) break;
    await this.reader.cancel().catch(() => undefined);
  }
}
