import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runs } from "../../db/schema";
import { recoverStaleRuns } from "../../executor/recover";
import { Worker } from "../../executor/worker";
import { createActor, eventually, rejection, runOutputLines, seedRunbooks, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { liveProcessesWith } from "../../testing/host-processes";
import type { Actor } from "../actor";
import { cancelRun } from "./cancel-run";
import { getRun } from "./get-run";
import { requestRun } from "./request-run";
import { AppError } from "../../errors";

const runbookFiles = {
  "echo.yaml": `
slug: echo-args
title: Echo arguments
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: value, type: string, required: true }
  - { name: count, type: integer, min: 1, max: 5, default: 2 }
  - { name: token, type: secret }
command: ["./print.sh", "{{value}}", "{{count}}"]
`.replace('"./print.sh"', '"/bin/sh", "-c", "printf \'arg:%s\\\\n\' \\"$0\\"; printf \'count:%s\\\\n\' \\"$1\\"; echo \\"env:$HANDRAIL_PARAM_VALUE\\"; echo oops >&2; echo \\"token:$HANDRAIL_PARAM_TOKEN\\"; echo \\"token-length:${#HANDRAIL_PARAM_TOKEN}\\"; echo \\"auth:${AUTH_SECRET:-unset}\\""'),
  "fail.yaml": `
slug: fail-with-3
title: Fails
owner: platform
risk: medium
timeout: 30s
command: ["/bin/sh", "-c", "echo before; exit 3"]
`,
  "danger.yaml": `
slug: db-failover
title: Database failover
owner: dba
risk: high
timeout: 30s
command: ["/bin/true"]
`,
  "sleepy.yaml": `
slug: sleepy
title: Starts a grandchild and sleeps
owner: platform
risk: low
timeout: 2s
parameters:
  - { name: seconds, type: integer, default: 300 }
script: sleepy.sh
args: ["{{seconds}}"]
`,
  "sleepy.sh": `#!/bin/bash
bash -c 'sleep "$1"; true' "grandchild-of-run-$HANDRAIL_RUN_ID" "$1" &
echo "grandchild:started"
sleep "$1"
`,
};

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let developer: Actor;
let operator: Actor;
let auditor: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, runbookFiles);
  developer = await createActor(handle, "developer");
  operator = await createActor(handle, "operator");
  auditor = await createActor(handle, "auditor");
  worker = new Worker({ handle, concurrency: 4, heartbeatTimeoutSeconds: 30, secretKey: process.env.AUTH_SECRET, outputCapBytes: 10 * 1024 * 1024, pollIntervalMs: 200 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await dispose?.();
});

const waitForEnd = (runId: number, actor: Actor) => waitForRunEnd(actor, runId);
const outputOf = (runId: number, actor: Actor) => runOutputLines(actor, runId);

function auditFor(runId: number) {
  return handle.db.select().from(auditEvents).where(eq(auditEvents.subjectId, String(runId))).orderBy(auditEvents.id);
}

describe(`runs on ${testDriver}`, () => {
  it("runs a command, keeps a hostile value as one argument, masks secrets and records the lifecycle", async () => {
    const hostile = "x; rm -rf / $(id)";
    const requested = await requestRun(developer, { slug: "echo-args", params: { value: hostile, token: "s3cr3t-value" } });
    expect(["queued", "running"]).toContain(requested.status);
    expect(requested.params).toEqual({ value: hostile, count: 2, token: "********" });

    const finished = await waitForEnd(requested.id, developer);
    expect(finished.status).toBe("succeeded");
    expect(finished.exitCode).toBe(0);
    expect(finished.output.sha256).toMatch(/^[0-9a-f]{64}$/);

    const lines = await outputOf(requested.id, developer);
    const text = lines.map((line) => `${line.stream}:${line.line}`);
    expect(text).toContain(`stdout:arg:${hostile}`);
    expect(text).toContain("stdout:count:2");
    expect(text).toContain(`stdout:env:${hostile}`);
    expect(text).toContain("stderr:oops");
    expect(text).toContain("stdout:token:********");
    expect(text).toContain(`stdout:token-length:${"s3cr3t-value".length}`);
    expect(text).toContain("stdout:auth:unset");
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));

    const events = await auditFor(requested.id);
    expect(events.map((event) => event.action)).toEqual(["run.requested", "run.started", "run.finished"]);
    expect(JSON.stringify(events)).not.toContain("s3cr3t-value");
    expect(events[2]?.details).toMatchObject({ status: "succeeded", exitCode: 0, outputSha256: finished.output.sha256 });
  });

  it("records a non-zero exit as failed with its exit code", async () => {
    const run = await requestRun(developer, { slug: "fail-with-3", params: {}, reason: "checking failure handling" });
    const finished = await waitForEnd(run.id, developer);
    expect(finished.status).toBe("failed");
    expect(finished.exitCode).toBe(3);
  });

  it("refuses a developer a high-risk runbook with a 403 naming the rule, creates no run, and audits the denial", async () => {
    const [before] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(runs);
    const error = await requestRun(developer, { slug: "db-failover", params: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(403);
    expect((error as AppError).message).toBe("no rule lets role developer run runbook db-failover");
    const [after] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(runs);
    expect(after?.n).toBe(before?.n);
    const [denial] = await handle.db.select().from(auditEvents).where(eq(auditEvents.outcome, "denied")).orderBy(sql`id desc`).limit(1);
    expect(denial).toMatchObject({ action: "runbook.run", subjectId: "db-failover", actorEmail: developer.user.email });
  });

  it("refuses the auditor any run", async () => {
    const error = await requestRun(auditor, { slug: "echo-args", params: { value: "a" } }).catch((caught: unknown) => caught);
    expect((error as AppError).status).toBe(403);
    expect((error as AppError).message).toBe("no rule lets role auditor run runbook echo-args");
  });

  it("rejects invalid parameters naming the field, creating nothing", async () => {
    const [before] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(runs);
    const error = await requestRun(developer, { slug: "echo-args", params: { value: "a", count: 9 } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "invalid_input", field: "params.count", message: "count must be at most 5" });
    const missing = await requestRun(developer, { slug: "echo-args", params: {} }).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ code: "invalid_input", field: "params.value" });
    const [after] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(runs);
    expect(after?.n).toBe(before?.n);
  });

  it("refuses a NUL or a lone surrogate in a parameter with a 400 naming it, and records the attempt", async () => {
    for (const [value, message] of [
      ["a\u0000b", "value must not contain NUL characters"],
      ["a\ud800b", "value must be valid Unicode text (it holds a lone surrogate)"],
    ] as const) {
      const error = await requestRun(developer, { slug: "echo-args", params: { value } }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 400, field: "params.value", message });
      const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "run.requested")).orderBy(sql`seq desc`).limit(1);
      expect(event).toMatchObject({ outcome: "failure", subjectId: "echo-args", actorEmail: developer.user.email });
      expect(event?.details).toMatchObject({ field: "params.value", params: { value: value.replace("\u0000", "\ufffd").replace("\ud800", "\ufffd") } });
    }
    expect(await rejection(requestRun(developer, { slug: "fast\u0000", params: {} }))).toMatchObject({ status: 404 });
  });

  it("cancels a running script and kills the grandchildren it started", async () => {
    const run = await requestRun(developer, { slug: "sleepy", params: { seconds: 1 } });
    await waitForEnd(run.id, developer);
    const long = await requestRun(operator, { slug: "sleepy", params: {} });
    await eventually(async () => ((await outputOf(long.id, operator)).some((entry) => entry.line === "grandchild:started") ? true : undefined));
    const grandchild = `grandchild-of-run-${long.id}\0`;
    expect(liveProcessesWith(grandchild)).toHaveLength(1);
    const cancelled = await cancelRun(operator, long.id);
    expect(cancelled.canCancel).toBe(false);
    expect((await cancelRun(operator, long.id)).id).toBe(long.id);
    const finished = await waitForEnd(long.id, operator);
    expect(finished.status).toBe("cancelled");
    expect(finished.signal).toBe("SIGTERM");
    await eventually(async () => (liveProcessesWith(grandchild).length > 0 ? undefined : true), 5000);
    const actions = (await auditFor(long.id)).map((event) => event.action);
    expect(actions).toEqual(["run.requested", "run.started", "run.cancel_requested", "run.finished"]);
  });

  it("does not let a developer cancel someone else's run", async () => {
    const run = await requestRun(operator, { slug: "sleepy", params: { seconds: 1 } });
    const error = await cancelRun(developer, run.id).catch((caught: unknown) => caught);
    expect((error as AppError).status).toBe(403);
    await waitForEnd(run.id, operator);
  });

  it("times out a run after the definition's timeout", async () => {
    const run = await requestRun(developer, { slug: "sleepy", params: { seconds: 30 } });
    const finished = await waitForEnd(run.id, developer);
    expect(finished.status).toBe("timed_out");
    const lines = await outputOf(run.id, developer);
    expect(lines.at(-1)?.line).toContain("timed out after 2s");
  });

  it("marks a run whose worker stopped heartbeating as interrupted, keeping its output", async () => {
    const run = await requestRun(developer, { slug: "fail-with-3", params: {}, reason: "checking failure handling" });
    await waitForEnd(run.id, developer);
    await handle.db
      .update(runs)
      .set({ status: "running", finishedAt: null, heartbeatAt: new Date(Date.now() - 120_000), workerId: "dead-worker" })
      .where(eq(runs.id, run.id));
    expect(await recoverStaleRuns(handle, 30, "test")).toEqual([run.id]);
    const recovered = await getRun(developer, run.id);
    expect(recovered.status).toBe("interrupted");
    const lines = await outputOf(run.id, developer);
    expect(lines[0]?.line).toBe("before");
    expect(lines.at(-1)).toMatchObject({ stream: "system" });
    expect(lines.at(-1)?.line).toContain("dead-worker stopped responding");
    const { createHash } = await import("node:crypto");
    const digest = createHash("sha256").update(lines.map((line) => `${line.line}\n`).join("")).digest("hex");
    expect(recovered.output).toMatchObject({ lines: lines.length, sha256: digest });
  });
});
