import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db";
import { auditEvents, runSteps, webhookDeliveries } from "../../../db/schema";
import type { RunStatus } from "../../../run-statuses";
import type { Actor } from "../../actor";
import { getRun } from "../get-run";
import { requestRun } from "../request-run";
import { cancelRun } from "../cancel-run";
import { createActor, eventually, rejection, runOutputLines, seedRunbooks } from "../../../testing/fixtures";
import { liveProcessesWith } from "../../../testing/host-processes";
import { openTestDatabase } from "../../../testing/test-database";
import { Worker } from "../../../executor/worker";
import { completeStep, skipStep } from "./act-on-step";
import { decideStepApproval } from "./decide-step-approval";
import { decideApproval } from "../approvals/decide-approval";
import { listApprovalInbox } from "../approvals/list-approvals";
import { expireOverdueApprovals } from "../../../runs/expire-approvals";
import { createWebhook } from "../../webhooks/create-webhook";
import { secretKeysFrom } from "../../../secrets/keyring";
import { resumeRun } from "./resume-run";
import { addRunNote } from "../add-run-note";
import { followRunOutput } from "../read-output";
import { watchingPresence } from "../watching";
import { followStepOutput } from "./step-output";
import { readOutputRange } from "../read-output-range";
import { outputEventStream, outputTextStream } from "../../../api/output-stream";

const runbookFiles = {
  "pass-values.yaml": `
slug: pass-values
title: Passes values from step to step
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: region, type: string, default: eu-west }
steps:
  - id: measure
    title: Measure the lag
    command: ["/bin/sh", "-c", "echo measuring; echo lag=5 >> \\"$HANDRAIL_OUTPUTS\\"; printf 'evil=$(touch %s)\\\\n' \\"$0\\" >> \\"$HANDRAIL_OUTPUTS\\"; echo 'bad line' >> \\"$HANDRAIL_OUTPUTS\\"", "{{region}}"]
  - id: small_lag
    title: Only when the lag is small
    when: steps.measure.outputs.lag < 10 && params.region == "eu-west"
    command: ["/bin/echo", "evil is", "{{steps.measure.outputs.evil}}", "{{region}}"]
    env:
      LAG: "{{steps.measure.outputs.lag}}"
  - id: large_lag
    title: Only when the lag is large
    when: steps.measure.outputs.lag >= 10
    command: ["/bin/echo", "never"]
  - id: report
    title: Report
    command: ["/bin/sh", "-c", "echo lag from env=$LAG step=$HANDRAIL_STEP"]
    env:
      LAG: "{{steps.measure.outputs.lag}}"
`,
  "failures.yaml": `
slug: failures
title: Failing steps
owner: platform
risk: low
timeout: 30s
steps:
  - id: tolerated
    title: Fails, and that is fine
    command: ["/bin/sh", "-c", "echo tolerated failure; echo seen=yes >> \\"$HANDRAIL_OUTPUTS\\"; exit 3"]
    onFailure: continue
  - id: flaky
    title: Succeeds on the third attempt
    command: ["/bin/sh", "-c", "echo attempt $HANDRAIL_STEP_ATTEMPT; [ $HANDRAIL_STEP_ATTEMPT -ge 3 ]"]
    onFailure: retry(2, 100ms)
  - id: fatal
    title: Fails and stops the run
    command: ["/bin/sh", "-c", "echo fatal; exit 7"]
  - id: after
    title: Never reached
    command: ["/bin/echo", "after", "{{steps.tolerated.outputs.seen}}"]
`,
  "checklist.yaml": `
slug: checklist
title: A checklist with a person in it
owner: platform
risk: low
timeout: 30s
steps:
  - id: check
    title: Check health
    command: ["/bin/echo", "healthy"]
  - id: announce
    title: Announce in the incident channel
    manual: |
      Post **"failover starting"** in #incident.
    note: required
    value: { name: ticket, type: string, pattern: "INC-[0-9]+", required: true }
  - id: optional_look
    title: Look at the dashboard
    manual: Look at the dashboard.
  - id: finish
    title: Finish
    command: ["/bin/echo", "ticket", "{{steps.announce.outputs.ticket}}"]
`,
  "slow-steps.yaml": `
slug: slow-steps
title: A step that takes long
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: marker, type: string, required: true }
steps:
  - id: first
    title: Quick
    command: ["/bin/echo", "first"]
  - id: slow
    title: Sleeps in the background too
    command: ["/bin/sh", "-c", "(sleep 30; touch \\"$0\\") & echo sleeping; sleep 30", "{{marker}}"]
  - id: later
    title: Never reached
    command: ["/bin/echo", "later"]
`,
  "step-timeout.yaml": `
slug: step-timeout
title: A step with its own timeout
owner: platform
risk: low
timeout: 30s
steps:
  - id: hangs
    title: Hangs
    timeout: 500ms
    command: ["/bin/sh", "-c", "echo hanging; sleep 20"]
  - id: later
    title: Never reached
    command: ["/bin/echo", "later"]
`,
  "bad-condition.yaml": `
slug: bad-condition
title: A condition that cannot be evaluated
owner: platform
risk: low
timeout: 30s
steps:
  - id: word
    title: Writes a word
    command: ["/bin/sh", "-c", "echo size=large >> \\"$HANDRAIL_OUTPUTS\\""]
  - id: compare
    title: Compares it as a number
    when: steps.word.outputs.size > 3
    command: ["/bin/echo", "compared"]
`,
  "gated-step.yaml": `
slug: gated-step
title: A step that needs a second person
owner: platform
risk: low
timeout: 30s
steps:
  - id: check
    title: Check
    command: ["/bin/echo", "checked"]
  - id: promote
    title: Promote the replica
    approval: { required: 1, expiresAfter: 1h }
    command: ["/bin/echo", "promoted"]
  - id: verify
    title: Verify
    command: ["/bin/echo", "verified"]
`,
  "link-outputs.yaml": `
slug: link-outputs
title: Replaces its outputs file with a link
owner: platform
risk: low
timeout: 30s
steps:
  - id: link
    title: Links the outputs file to a file only root reads
    command: ["/bin/sh", "-c", "rm -f \\"$HANDRAIL_OUTPUTS\\"; ln -s /etc/shadow \\"$HANDRAIL_OUTPUTS\\"; echo linked"]
`,
};

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let developer: Actor;
let operator: Actor;
let auditor: Actor;
let admin: Actor;
let secondOperator: Actor;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-steps-"));
fs.chmodSync(scratch, 0o777);

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, runbookFiles);
  developer = await createActor(handle, "developer");
  operator = await createActor(handle, "operator");
  auditor = await createActor(handle, "auditor");
  admin = await createActor(handle, "admin");
  secondOperator = await createActor(handle, "operator", "second-operator");
  await createWebhook(admin, { name: "incident-channel", url: "https://example.test/hook", events: ["run.waiting"] }, secretKeysFrom({ secretKey: "steps-webhook-key-0123456789" }));
  worker = new Worker({ handle, concurrency: 4, heartbeatTimeoutSeconds: 30, secretKey: process.env.AUTH_SECRET, outputCapBytes: 1024 * 1024, pollIntervalMs: 200 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await dispose?.();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const settled: readonly RunStatus[] = ["succeeded", "failed", "cancelled", "timed_out", "interrupted", "waiting"];
const until = (runId: number, statuses: readonly RunStatus[] = settled, timeoutMs = 30_000) =>
  eventually(async () => {
    const run = await getRun(developer, runId);
    return statuses.includes(run.status) ? run : undefined;
  }, timeoutMs);
const linesOf = async (runId: number) => (await runOutputLines(developer, runId)).map((line) => line.line);
const stepStatuses = async (runId: number) => (await getRun(developer, runId)).steps?.map((step) => `${step.id}:${step.status}`);

async function stepActions(runId: number) {
  const events = await handle.db
    .select({ action: auditEvents.action, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, String(runId)), like(auditEvents.action, "step.%")))
    .orderBy(asc(auditEvents.id));
  return events.map((event) => `${event.action}:${(event.details as { step: string }).step}`);
}

describe("a run of steps", () => {
  it("runs steps in order, passes outputs forward as data, and skips a step whose condition is false", async () => {
    const marker = path.join(scratch, "injected");
    const requested = await requestRun(developer, { slug: "pass-values", params: {} });
    expect(requested.argv).toEqual([]);
    const run = await until(requested.id);
    expect(run.status).toBe("succeeded");
    expect(run.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["measure:succeeded", "small_lag:succeeded", "large_lag:skipped", "report:succeeded"]);
    const measure = run.steps?.[0];
    expect(measure?.outputs).toEqual({ lag: "5", evil: "$(touch eu-west)" });
    expect(run.steps?.[2]?.message).toBe("skipped: when steps.measure.outputs.lag >= 10 is false");

    const lines = await linesOf(requested.id);
    expect(lines).toContain("measuring");
    // An output is one argv element, never shell text: printed as it was written, nothing ran.
    expect(lines).toContain("evil is $(touch eu-west) eu-west");
    expect(fs.existsSync(path.join(process.cwd(), "eu-west"))).toBe(false);
    expect(fs.existsSync(marker)).toBe(false);
    expect(lines).toContain("lag from env=5 step=report");
    expect(lines).not.toContain("never");
    expect(lines.some((line) => line.includes("$HANDRAIL_OUTPUTS line 3: expected key=value"))).toBe(true);
    // Each step's lines are its own range of the run's output, in order.
    const ranges = (run.steps ?? []).filter((step) => step.lines).map((step) => step.lines);
    for (let index = 1; index < ranges.length; index++) expect(ranges[index]!.first).toBeGreaterThan(ranges[index - 1]!.last ?? 0);
    expect(run.output.lines).toBe(lines.length);

    expect(await stepActions(requested.id)).toEqual([
      "step.started:measure",
      "step.finished:measure",
      "step.started:small_lag",
      "step.finished:small_lag",
      "step.skipped:large_lag",
      "step.started:report",
      "step.finished:report",
    ]);
  });

  it("goes on past a step marked continue, retries a flaky one, and stops at a failure", async () => {
    const requested = await requestRun(developer, { slug: "failures", params: {} });
    const run = await until(requested.id);
    expect(run.status).toBe("failed");
    expect(run.errorMessage).toBe("step fatal failed");
    expect(run.exitCode).toBe(7);
    expect(run.steps?.map((step) => `${step.id}:${step.status}:${step.attempts}`)).toEqual(["tolerated:failed:1", "flaky:succeeded:3", "fatal:failed:1", "after:pending:0"]);
    const lines = await linesOf(requested.id);
    expect(lines.filter((line) => line.startsWith("attempt "))).toEqual(["attempt 1", "attempt 2", "attempt 3"]);
    expect(lines.some((line) => line.includes("step flaky failed; retrying in 100 ms"))).toBe(true);
    expect(lines.some((line) => line.includes("step flaky failed; retrying in 200 ms"))).toBe(true);
    expect(lines).not.toContain("after");
  });

  it("ends a step at its own timeout, and the run with it", async () => {
    const requested = await requestRun(developer, { slug: "step-timeout", params: {} });
    const run = await until(requested.id);
    expect(run.status).toBe("timed_out");
    expect(await stepStatuses(requested.id)).toEqual(["hangs:timed_out", "later:pending"]);
    expect((await linesOf(requested.id)).some((line) => line.includes("timed out after 500ms"))).toBe(true);
  });

  it("fails the step whose condition cannot be evaluated, saying why", async () => {
    const requested = await requestRun(developer, { slug: "bad-condition", params: {} });
    const run = await until(requested.id);
    expect(run.status).toBe("failed");
    expect(run.steps?.[1]?.status).toBe("failed");
    expect(run.errorMessage).toContain('> compares numbers, and "large" is not one');
  });

  it("does not follow a link planted as the outputs file", async () => {
    const requested = await requestRun(developer, { slug: "link-outputs", params: {} });
    const run = await until(requested.id);
    expect(run.status).toBe("succeeded");
    expect(run.steps?.[0]?.outputs).toEqual({});
    expect((await linesOf(requested.id)).some((line) => line.includes("outputs not read: the outputs file was replaced by a link"))).toBe(true);
  });
});

describe("manual steps", () => {
  it("waits for a person, without a worker, until someone who may run it ticks the step", async () => {
    const requested = await requestRun(developer, { slug: "checklist", params: {} });
    let run = await until(requested.id);
    expect(run.status).toBe("waiting");
    expect(run.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["check:succeeded", "announce:waiting", "optional_look:pending", "finish:pending"]);
    // Webhooks that asked for it hear that a person is needed, and for which step.
    const [delivery] = await handle.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.runId, requested.id), eq(webhookDeliveries.event, "run.waiting")));
    expect(delivery?.payload).toMatchObject({ event: "run.waiting", run: { id: requested.id, status: "waiting", step: { id: "announce", title: "Announce in the incident channel" } } });
    const announce = run.steps?.[1];
    expect(announce?.manual).toEqual({ instructions: 'Post **"failover starting"** in #incident.\n', note: "required", value: expect.objectContaining({ name: "ticket", type: "string" }) });
    expect(announce?.canComplete).toBe(true);

    // Who cannot run the runbook cannot tick it, and is told so; nothing changes.
    expect((await getRun(auditor, requested.id)).steps?.[1]?.canComplete).toBe(false);
    expect((await rejection(completeStep(auditor, requested.id, "announce", { note: "done", value: "INC-1" }))).code).toBe("forbidden");
    // Bad input names the field and changes nothing.
    expect(await rejection(completeStep(developer, requested.id, "announce", { value: "INC-1" }))).toMatchObject({ code: "invalid_input", field: "note" });
    expect(await rejection(completeStep(developer, requested.id, "announce", { note: "posted", value: "ticket 1" }))).toMatchObject({ code: "invalid_input", field: "value" });
    expect(await rejection(completeStep(developer, requested.id, "announce", { note: "posted", value: "INC-1", extra: 1 }))).toMatchObject({ code: "invalid_input", field: "extra" });
    expect(await rejection(completeStep(developer, requested.id, "finish", {}))).toMatchObject({ code: "conflict" });
    expect(await rejection(completeStep(developer, requested.id, "optional_look", {}))).toMatchObject({ code: "conflict" });
    expect(await rejection(completeStep(developer, requested.id, "nope", {}))).toMatchObject({ code: "not_found" });
    expect((await getRun(developer, requested.id)).status).toBe("waiting");

    run = await completeStep(operator, requested.id, "announce", { note: "posted in #incident", value: "INC-4711" });
    expect(run.steps?.[1]).toMatchObject({ status: "succeeded", note: "posted in #incident", outputs: { ticket: "INC-4711" }, by: { id: operator.user.id } });
    run = await until(requested.id, ["waiting", "succeeded", "failed"]);
    expect(run.steps?.map((step) => step.status)).toEqual(["succeeded", "succeeded", "waiting", "pending"]);
    // Ticking twice is refused: the step is no longer waiting.
    expect(await rejection(completeStep(operator, requested.id, "announce", { note: "again", value: "INC-4711" }))).toMatchObject({ code: "conflict" });

    // Skipping needs a reason; with one, the run goes on.
    expect(await rejection(skipStep(developer, requested.id, "optional_look", {}))).toMatchObject({ code: "invalid_input", field: "reason" });
    await skipStep(developer, requested.id, "optional_look", { reason: "dashboard is down, checked logs instead" });
    run = await until(requested.id, ["succeeded", "failed"]);
    expect(run.status).toBe("succeeded");
    expect(run.steps?.[2]).toMatchObject({ status: "skipped", note: "dashboard is down, checked logs instead", by: { id: developer.user.id } });
    expect(await linesOf(requested.id)).toContain("ticket INC-4711");
    expect(await stepActions(requested.id)).toEqual([
      "step.started:check",
      "step.finished:check",
      "step.started:announce",
      "step.completed:announce",
      "step.started:optional_look",
      "step.skipped:optional_look",
      "step.started:finish",
      "step.finished:finish",
    ]);
    expect(await rejection(skipStep(developer, requested.id, "finish", { reason: "too late now" }))).toMatchObject({ code: "conflict" });
    // Taken up again after each tick, the run still started once.
    const started = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.started"), eq(auditEvents.subjectId, String(requested.id))));
    expect(started).toHaveLength(1);
  });

  it("skips a step ahead of time, and cancels a run that waits for a person", async () => {
    const requested = await requestRun(developer, { slug: "checklist", params: {} });
    await until(requested.id, ["waiting"]);
    await skipStep(developer, requested.id, "optional_look", { reason: "not needed for a drill" });
    const cancelled = await cancelRun(developer, requested.id);
    expect(cancelled.status).toBe("cancelled");
    expect(await stepStatuses(requested.id)).toEqual(["check:succeeded", "announce:cancelled", "optional_look:skipped", "finish:pending"]);
    const rows = await handle.db.select().from(runSteps).where(eq(runSteps.runId, requested.id));
    expect(rows.filter((row) => row.status === "waiting" || row.status === "running")).toEqual([]);
  });
});

describe("a step that needs approval", () => {
  const gated = async (requester: Actor) => {
    const requested = await requestRun(requester, { slug: "gated-step", params: {} });
    const run = await until(requested.id);
    return { id: requested.id, run };
  };
  const promoted = async (runId: number) => (await linesOf(runId)).includes("promoted");

  it("waits for a second person before its process starts; the requester never approves it", async () => {
    const { id, run } = await gated(operator);
    expect(run.status).toBe("waiting");
    expect(run.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["check:succeeded", "promote:waiting", "verify:pending"]);
    const promote = run.steps?.[1];
    expect(promote?.approval).toMatchObject({ required: 1, approvedAt: null, decisions: [] });
    expect(Date.parse(promote?.approval?.expiresAt ?? "") - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(await promoted(id)).toBe(false);
    const [delivery] = await handle.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.runId, id), eq(webhookDeliveries.event, "run.waiting")));
    expect(delivery?.payload).toMatchObject({ run: { step: { id: "promote", needs: "approval" } } });

    // The requester, however they ask; someone policy does not let approve; a manual-step tick: all refused, nothing starts.
    expect((await getRun(operator, id)).steps?.[1]).toMatchObject({ canApprove: false, approvalRefusal: expect.stringContaining("four-eyes") });
    expect((await getRun(secondOperator, id)).steps?.[1]).toMatchObject({ canApprove: true, approvalRefusal: null });
    expect(await rejection(decideStepApproval(operator, id, "promote", "approved", {}))).toMatchObject({ code: "forbidden", message: expect.stringContaining("four-eyes") });
    expect(await rejection(decideStepApproval({ ...operator, via: "api", tokenId: "second-token", scopes: ["approve"] }, id, "promote", "approved", {}))).toMatchObject({ code: "forbidden" });
    expect(await rejection(decideStepApproval(developer, id, "promote", "approved", {}))).toMatchObject({ code: "forbidden" });
    expect(await rejection(completeStep(developer, id, "promote", {}))).toMatchObject({ code: "conflict" });
    // The run's own approval route is not a way around it.
    expect(await rejection(decideApproval(secondOperator, id, "approved", {}))).toMatchObject({ code: "conflict" });
    expect(await rejection(decideStepApproval(secondOperator, id, "check", "approved", {}))).toMatchObject({ code: "conflict" });
    const denials = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "step.approved"), eq(auditEvents.outcome, "denied"), eq(auditEvents.subjectId, String(id))));
    expect(denials.length).toBe(3);
    expect((await getRun(developer, id)).status).toBe("waiting");
    expect(await promoted(id)).toBe(false);

    // The approvals inbox lists the step for whoever may decide, and says why not to the requester.
    const inbox = (await listApprovalInbox(secondOperator)).steps.find((request) => request.run.id === id);
    expect(inbox?.step).toMatchObject({ id: "promote", canApprove: true });
    expect((await listApprovalInbox(operator)).steps.find((request) => request.run.id === id)?.step.canApprove).toBe(false);

    const approved = await decideStepApproval(secondOperator, id, "promote", "approved", { comment: "replica is in sync" });
    expect(approved.steps?.[1]?.approval).toMatchObject({ decisions: [{ by: { id: secondOperator.user.id }, decision: "approved", comment: "replica is in sync" }] });
    const done = await until(id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.steps?.map((step) => step.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await linesOf(id)).toContain("promoted");
    expect(await rejection(decideStepApproval(admin, id, "promote", "approved", {}))).toMatchObject({ code: "conflict" });
    expect(await stepActions(id)).toEqual([
      "step.started:check",
      "step.finished:check",
      "step.approval_requested:promote",
      "step.approved:promote",
      "step.approved:promote",
      "step.approved:promote",
      "step.approved:promote",
      "step.started:promote",
      "step.finished:promote",
      "step.started:verify",
      "step.finished:verify",
    ]);
  });

  it("ends the run rejected at the step when someone rejects it, and expired when nobody decides in time", async () => {
    const rejected = await gated(developer);
    expect(await rejection(decideStepApproval(operator, rejected.id, "promote", "rejected", { comment: "" }))).toMatchObject({ code: "invalid_input", field: "comment" });
    const after = await decideStepApproval(operator, rejected.id, "promote", "rejected", { comment: "not during the freeze" });
    expect(after.status).toBe("rejected");
    expect(after.steps?.map((step) => step.status)).toEqual(["succeeded", "rejected", "pending"]);
    expect(after.errorMessage).toContain("not during the freeze");
    expect(await promoted(rejected.id)).toBe(false);
    expect(await rejection(decideStepApproval(secondOperator, rejected.id, "promote", "approved", {}))).toMatchObject({ code: "conflict" });

    const overdue = await gated(developer);
    await handle.db.execute(sql`update run_steps set approval_expires_at = now() - interval '1 second' where run_id = ${overdue.id} and step_id = 'promote'`);
    expect(await expireOverdueApprovals(handle, "test-sweep", "http://handrail.test")).toContain(overdue.id);
    const expired = await getRun(developer, overdue.id);
    expect(expired.status).toBe("expired");
    expect(expired.steps?.[1]?.status).toBe("expired");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await promoted(overdue.id)).toBe(false);
  });
});

describe("cancelling a run of steps", () => {
  it("stops the running step's whole process tree and every later step", async () => {
    const marker = path.join(scratch, `late-${Date.now()}`);
    const requested = await requestRun(developer, { slug: "slow-steps", params: { marker } });
    await eventually(async () => ((await linesOf(requested.id)).includes("sleeping") ? true : undefined));
    await cancelRun(developer, requested.id);
    const run = await until(requested.id, ["cancelled"]);
    expect(run.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["first:succeeded", "slow:cancelled", "later:pending"]);
    expect(liveProcessesWith(marker)).toEqual([]);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe("resuming a run of steps", () => {
  it("starts a new attempt at the step that stopped, same version and parameters, or past it with a reason", async () => {
    const failed = await until((await requestRun(developer, { slug: "failures", params: {} })).id);
    expect(failed.status).toBe("failed");
    expect(failed.canResume).toBe(true);
    expect((await getRun(auditor, failed.id)).canResume).toBe(false);
    expect((await rejection(resumeRun(auditor, failed.id, {}))).code).toBe("forbidden");
    expect(await rejection(resumeRun(developer, failed.id, { fromStep: "after" }))).toMatchObject({ code: "invalid_input", field: "reason" });
    expect(await rejection(resumeRun(developer, failed.id, { fromStep: "nope", reason: "x".repeat(5) }))).toMatchObject({ code: "invalid_input", field: "fromStep" });
    expect(await rejection(resumeRun(developer, failed.id, { params: { a: 1 } }))).toMatchObject({ code: "invalid_input", field: "params" });

    const again = await resumeRun(developer, failed.id, { fromStep: "after", reason: "fatal is a known false alarm" });
    expect(again.resumedFrom).toBe(failed.id);
    expect(again.runbook.version).toBe(failed.runbook.version);
    const resumed = await until(again.id);
    expect(resumed.status).toBe("succeeded");
    expect(resumed.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["tolerated:failed", "flaky:succeeded", "fatal:skipped", "after:succeeded"]);
    expect(resumed.steps?.[2]).toMatchObject({ note: "fatal is a known false alarm", by: { id: developer.user.id } });
    // The carried step's outputs are still there for the steps after it.
    expect(await linesOf(again.id)).toContain("after yes");
    expect(await linesOf(again.id)).not.toContain("tolerated failure");
    const [resumedEvent] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.resumed"), eq(auditEvents.subjectId, String(again.id))));
    expect(resumedEvent?.details).toMatchObject({ from: failed.id, fromStep: "after" });
    expect(await rejection(resumeRun(developer, again.id, {}))).toMatchObject({ code: "conflict" });
  });

  it("resumes a timed-out run at the step that timed out", async () => {
    const timedOut = await until((await requestRun(developer, { slug: "step-timeout", params: {} })).id);
    const again = await until((await resumeRun(developer, timedOut.id, {})).id);
    expect(again.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["hangs:timed_out", "later:pending"]);
    expect(await linesOf(again.id)).toContain("hanging");
  });

  it("refuses to resume a run still under way", async () => {
    const waiting = await until((await requestRun(developer, { slug: "checklist", params: {} })).id, ["waiting"]);
    expect(await rejection(resumeRun(developer, waiting.id, {}))).toMatchObject({ code: "conflict" });
    await cancelRun(developer, waiting.id);
  });
});

describe("one step's output", () => {
  async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
    return new Response(stream).text();
  }

  it("reads, pages and streams the lines of one step only", async () => {
    const run = await until((await requestRun(developer, { slug: "pass-values", params: {} })).id);
    const small = run.steps?.find((step) => step.id === "small_lag");
    const { follower, afterSeq } = await followStepOutput(developer, run.id, "small_lag");
    expect(await text(outputTextStream(follower, afterSeq))).toBe("[handrail] step small_lag (Only when the lag is small)\nevil is $(touch eu-west) eu-west\n");

    const range = await readOutputRange(developer, run.id, { from: 1, limit: 100, step: "small_lag" });
    expect(range.lines.map((line) => line.seq)).toEqual([small?.lines?.first, small?.lines?.last]);
    expect(range.lastSeq).toBe(small?.lines?.last);
    // A step skipped by its condition printed nothing of its own.
    expect((await readOutputRange(developer, run.id, { from: 1, limit: 100, step: "large_lag" })).lines).toEqual([]);

    const streamed = await followStepOutput(developer, run.id, "report");
    const events = await text(outputEventStream(streamed.follower, streamed.afterSeq, new AbortController().signal));
    expect(events).toContain("lag from env=5 step=report");
    expect(events).not.toContain("measuring");
    expect(events).toMatch(/event: end\n/);

    expect(await rejection(followStepOutput(developer, run.id, "nope"))).toMatchObject({ code: "not_found" });
  });

  it("ends a step's stream when the step ends, while the run goes on", async () => {
    const requested = await requestRun(developer, { slug: "checklist", params: {} });
    const { follower, afterSeq } = await followStepOutput(developer, requested.id, "check");
    const events = await text(outputEventStream(follower, afterSeq, new AbortController().signal));
    expect(events).toContain("healthy");
    expect(events).toMatch(/event: end\n/);
    await until(requested.id, ["waiting"]);
    await cancelRun(developer, requested.id);
  });
});

describe("notes on a run's timeline", () => {
  it("lets anyone who may view the run add a note, audited, and refuses a read-only token", async () => {
    const run = await until((await requestRun(developer, { slug: "checklist", params: {} })).id, ["waiting"]);
    await addRunNote(auditor, run.id, { text: "  watching from the NOC  " });
    const [note] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.noted"), eq(auditEvents.subjectId, String(run.id))));
    expect(note).toMatchObject({ actorId: auditor.user.id, outcome: "success", details: expect.objectContaining({ note: "watching from the NOC" }) });
    expect(await rejection(addRunNote(developer, run.id, { text: "" }))).toMatchObject({ code: "invalid_input", field: "text" });
    expect(await rejection(addRunNote(developer, run.id, { text: "x".repeat(2001) }))).toMatchObject({ code: "invalid_input", field: "text" });
    expect(await rejection(addRunNote(developer, run.id, { text: "\uD800" }))).toMatchObject({ code: "invalid_input", field: "text" });
    const readOnly = { ...developer, tokenId: "read-only", scopes: ["read" as const] };
    expect((await rejection(addRunNote(readOnly, run.id, { text: "sneaky" }))).code).toBe("forbidden");
    expect(await rejection(addRunNote(developer, 999_999, { text: "nothing there" }))).toMatchObject({ code: "not_found" });
    await cancelRun(developer, run.id);
  });
});

describe("who is watching", () => {
  it("lists the people with the run's stream open, and drops them when it closes", async () => {
    const run = await until((await requestRun(developer, { slug: "checklist", params: {} })).id, ["waiting"]);
    expect((await getRun(developer, run.id)).watchers).toEqual([]);
    const aborts = [new AbortController(), new AbortController()];
    const readers = await Promise.all(
      [operator, auditor].map(async (watcher, index) => {
        const follower = await followRunOutput(watcher, run.id);
        const presence = { ...(await watchingPresence(watcher, run.id)) };
        return outputEventStream(follower, 0, aborts[index]!.signal, { presence }).getReader();
      }),
    );
    // Each stream sends what is stored, then, idle, says its reader is there.
    for (const reader of readers) void reader.read();
    for (const reader of readers) void reader.read();
    const watching = await eventually(async () => {
      const found = (await getRun(developer, run.id)).watchers ?? [];
      return found.length === 2 ? found : undefined;
    });
    expect(watching.map((person) => person.id).sort()).toEqual([operator.user.id, auditor.user.id].sort());
    aborts[0]!.abort();
    const left = await eventually(async () => {
      const found = (await getRun(developer, run.id)).watchers ?? [];
      return found.length === 1 ? found : undefined;
    });
    expect(left.map((person) => person.id)).toEqual([auditor.user.id]);
    aborts[1]!.abort();
    await cancelRun(developer, run.id);
    expect((await getRun(developer, run.id)).watchers).toBeUndefined();
  });
});
