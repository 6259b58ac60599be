import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db";
import { runOutput, runs } from "../../db/schema";
import type { Actor } from "../actor";
import { requestRun } from "./request-run";
import { getRun } from "./get-run";
import { createActor, eventually, seedRunbooks } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { Worker } from "../../executor/worker";
import { liveProcessesWith } from "../../testing/host-processes";

const HEARTBEAT_TIMEOUT_SECONDS = 3;
const cli = path.resolve("bin/handrail.js");

// Somewhere any run user can write and the test can look: the host's /tmp may be closed to others.
const evidenceDir = fs.mkdtempSync(path.join("/var/tmp", "handrail-crash-evidence-"));
fs.chmodSync(evidenceDir, 0o1777);
const nonce = `after-kill-${Math.random().toString(36).slice(2, 10)}`;
const lateFile = path.join(evidenceDir, nonce);
const LATE_AFTER_SECONDS = 6;

const runbookFiles = {
  "ticker.yaml": `
slug: ticker
title: Prints a tick every 50 ms for a minute, and would change something a few seconds in
owner: platform
risk: low
timeout: 5m
command: ["/bin/sh", "-c", "(sleep ${LATE_AFTER_SECONDS}; touch ${lateFile}) & i=0; while [ $i -lt 1200 ]; do i=$((i+1)); echo tick $i; sleep 0.05; done"]
`,
  "ticker-steps.yaml": `
slug: ticker-steps
title: The ticker as the second of three steps
owner: platform
risk: low
timeout: 5m
steps:
  - { id: first, title: First, command: ["/bin/echo", "first step"] }
  - { id: tick, title: Tick, command: ["/bin/sh", "-c", "(sleep ${LATE_AFTER_SECONDS}; touch ${lateFile}-steps) & i=0; while [ $i -lt 1200 ]; do i=$((i+1)); echo tick $i; sleep 0.05; done"] }
  - { id: last, title: Last, command: ["/bin/echo", "last step"] }
`,
};

/** Nothing the run started may still be alive, nor change anything later: waits past the moment it would have. */
async function expectNothingLeft(runStartedAt: number): Promise<void> {
  // The spawner notices its worker's death when the kernel closes their channel, and kills at once.
  await eventually(async () => (liveProcessesWith(nonce).length === 0 ? true : undefined), 3000);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, runStartedAt + (LATE_AFTER_SECONDS + 2) * 1000 - Date.now())));
  expect(fs.existsSync(lateFile)).toBe(false);
  expect(liveProcessesWith(nonce)).toEqual([]);
}

afterAll(() => fs.rmSync(evidenceDir, { recursive: true, force: true }));

/** A real `handrail worker` process, as an operator would start one on another machine. */
function startWorkerProcess(url: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, [cli, "worker", "--concurrency", "2"], {
    env: { ...process.env, DATABASE_URL: url, HANDRAIL_HEARTBEAT_TIMEOUT: String(HEARTBEAT_TIMEOUT_SECONDS), HANDRAIL_DEMO: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once("exit", resolve));
}

// Separate worker processes need PostgreSQL; the embedded database is one process, so there the crash
// is of the whole server, and the restarted one recovers.
describe.runIf(testDriver === "postgres")("crash recovery with real worker processes on postgres", () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let url: string;
  let developer: Actor;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const opened = await openTestDatabase();
    ({ handle, dispose } = opened);
    url = opened.url ?? "";
    await seedRunbooks(handle, runbookFiles);
    developer = await createActor(handle, "developer");
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(children.map(stopped));
    await dispose?.();
  });

  it("marks the run of a kill -9'd worker interrupted within the heartbeat window, keeping every stored line", async () => {
    const firstLog: string[] = [];
    const first = startWorkerProcess(url, firstLog);
    children.push(first);
    const run = await requestRun(developer, { slug: "ticker", params: {} });
    const stepsRun = await requestRun(developer, { slug: "ticker-steps", params: {} });
    const runStartedAt = Date.now();

    const claimed = await eventually(async () => {
      const [row] = await handle.db.select().from(runs).where(eq(runs.id, run.id));
      const stored = await handle.db.select({ seq: runOutput.seq }).from(runOutput).where(eq(runOutput.runId, run.id));
      return row?.status === "running" && stored.length >= 10 ? row : undefined;
    }, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}; worker said: ${firstLog.join("")}`);
    });
    expect(claimed.workerId).toContain(`:${first.pid}:`);
    await eventually(async () => {
      const stored = await handle.db.select({ seq: runOutput.seq }).from(runOutput).where(eq(runOutput.runId, stepsRun.id));
      return stored.length >= 10 ? true : undefined;
    }, 60_000);

    first.kill("SIGKILL");
    await stopped(first);
    const killedAt = Date.now();
    const storedAtKill = (await handle.db.select({ seq: runOutput.seq }).from(runOutput).where(eq(runOutput.runId, run.id))).length;

    // The restarted worker (or any other) finds the run by its stale heartbeat.
    const second = startWorkerProcess(url, []);
    children.push(second);
    const recovered = await eventually(async () => {
      const [row] = await handle.db.select().from(runs).where(eq(runs.id, run.id));
      return row?.status === "interrupted" ? row : undefined;
    }, 60_000);
    const recoveredAfterMs = Date.now() - killedAt;
    // Heartbeat window plus one recovery interval and a second worker's start-up.
    expect(recoveredAfterMs).toBeLessThan((HEARTBEAT_TIMEOUT_SECONDS + 10) * 1000);

    const lines = await handle.db.select().from(runOutput).where(eq(runOutput.runId, run.id)).orderBy(runOutput.seq);
    expect(lines.length).toBeGreaterThanOrEqual(storedAtKill + 1);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
    const ticks = lines.filter((line) => line.stream === "stdout").map((line) => line.line);
    expect(ticks.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, index) => `tick ${index + 1}`));
    expect(lines.at(-1)).toMatchObject({ stream: "system" });
    expect(lines.at(-1)?.line).toContain(`${claimed.workerId} stopped responding`);
    expect(recovered.outputLines).toBe(lines.length);
    expect(recovered.finishedAt).not.toBeNull();

    // A run of steps ends interrupted at the step it was on, every line kept; the steps after it never run.
    const stepsRecovered = await eventually(async () => {
      const found = await getRun(developer, stepsRun.id);
      return found.status === "interrupted" ? found : undefined;
    }, 60_000);
    expect(stepsRecovered.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["first:succeeded", "tick:interrupted", "last:pending"]);
    const stepLines = await handle.db.select().from(runOutput).where(eq(runOutput.runId, stepsRun.id)).orderBy(runOutput.seq);
    expect(stepLines.map((line) => line.seq)).toEqual(stepLines.map((_, index) => index + 1));
    expect(stepLines.map((line) => line.line)).toContain("first step");
    expect(stepLines.map((line) => line.line)).not.toContain("last step");
    expect(stepsRecovered.output.lines).toBe(stepLines.length);
    await expectNothingLeft(runStartedAt);
    expect(fs.existsSync(`${lateFile}-steps`)).toBe(false);
  }, 120_000);
});

describe.runIf(testDriver === "pglite")("crash recovery of the embedded server process", () => {
  it.each(["sandbox", "user"])("%s: marks the run of a kill -9'd embedded server interrupted when it starts again, keeping every stored line", async (isolation) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-crash-"));
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("lib/testing/embedded-crash-child.ts"), dataDir, runbookFiles["ticker.yaml"]], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HANDRAIL_ISOLATION: isolation },
    });
    const runStartedAt = Date.now();
    const said: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => said.push(chunk.toString()));
    const report = await new Promise<string>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        said.push(chunk.toString());
        const line = said.join("").split("\n").find((text) => text.startsWith("RUN "));
        if (line) resolve(line);
      });
      child.once("exit", () => reject(new Error(`the embedded process exited early: ${said.join("")}`)));
    });
    const [, runId, storedAtReport] = report.split(" ").map(Number) as [number, number, number];
    child.kill("SIGKILL");
    await stopped(child);
    await expectNothingLeft(runStartedAt);

    const handle = await openDatabase({ kind: "pglite", dataDir });
    const worker = new Worker({ handle, concurrency: 1, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: 1 << 20, recoverAllOnStart: true });
    try {
      await worker.start();
      const [run] = await handle.db.select().from(runs).where(eq(runs.id, runId));
      expect(run?.status).toBe("interrupted");
      const lines = await handle.db.select().from(runOutput).where(eq(runOutput.runId, runId)).orderBy(runOutput.seq);
      expect(lines.length).toBeGreaterThan(storedAtReport);
      expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
      expect(lines.slice(0, storedAtReport).map((line) => line.line)).toEqual(Array.from({ length: storedAtReport }, (_, index) => `tick ${index + 1}`));
      expect(lines.at(-1)?.line).toContain("stopped responding");
      expect(run?.outputLines).toBe(lines.length);
    } finally {
      await worker.stop();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
