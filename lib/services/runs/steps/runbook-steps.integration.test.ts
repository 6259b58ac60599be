import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db";
import { auditEvents } from "../../../db/schema";
import { Worker } from "../../../executor/worker";
import type { RunStatus } from "../../../run-statuses";
import { createActor, eventually, rejection, runOutputLines, seedRunbooks, seedScopedPolicies } from "../../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../../testing/test-database";
import type { Actor } from "../../actor";
import { decideApproval } from "../approvals/decide-approval";
import { cancelRun } from "../cancel-run";
import { getRun } from "../get-run";
import { requestRun } from "../request-run";
import { completeStep, skipStep } from "./act-on-step";
import { requestChildRun } from "./request-child-run";

const runbook = (slug: string, body: string, risk = "low", owner = "platform") => `slug: ${slug}\ntitle: ${slug}\nowner: ${owner}\nrisk: ${risk}\ntimeout: 30s\n${body}`;

const runbookFiles = {
  "restart-api.yaml": runbook("restart-api", `parameters:\n  - { name: service, type: string, pattern: "[a-z-]+", required: true }\ncommand: ["/bin/echo", "restarting", "{{service}}"]\n`),
  "fails.yaml": runbook("fails", `command: ["/bin/sh", "-c", "echo failing; exit 3"]\n`),
  "promote-db.yaml": runbook("promote-db", `command: ["/bin/echo", "promoted"]\n`, "high"),
  "pay-secret.yaml": runbook("pay-secret", `command: ["/bin/echo", "payments"]\n`, "low", "payments"),
  "wrapper.yaml": runbook(
    "wrapper",
    `steps:
  - { id: prep, title: Prepare, command: ["/bin/sh", "-c", "echo name=api-gateway >> \\"$HANDRAIL_OUTPUTS\\""] }
  - { id: restart, title: Restart it, runbook: restart-api, params: { service: "{{steps.prep.outputs.name}}" } }
  - { id: after, title: After, command: ["/bin/echo", "after"] }
`,
  ),
  "bad-value.yaml": runbook(
    "bad-value",
    `steps:
  - { id: prep, title: Prepare, command: ["/bin/sh", "-c", "echo 'name=$(reboot)' >> \\"$HANDRAIL_OUTPUTS\\""] }
  - { id: restart, title: Restart it, runbook: restart-api, params: { service: "{{steps.prep.outputs.name}}" } }
`,
  ),
  "low-wrapper.yaml": runbook("low-wrapper", `steps:\n  - { id: promote, title: Promote, runbook: promote-db }\n  - { id: after, title: After, command: ["/bin/echo", "after"] }\n`),
  "fail-wrapper.yaml": runbook("fail-wrapper", `steps:\n  - { id: call, title: Call, runbook: fails }\n  - { id: never, title: Never, command: ["/bin/echo", "never"] }\n`),
  "tolerant-wrapper.yaml": runbook("tolerant-wrapper", `steps:\n  - { id: call, title: Call, runbook: fails, onFailure: continue }\n  - { id: after, title: After, command: ["/bin/echo", "after"] }\n`),
  "missing-wrapper.yaml": runbook("missing-wrapper", `steps:\n  - { id: call, title: Call, runbook: no-such-runbook }\n`),
  "hidden-wrapper.yaml": runbook("hidden-wrapper", `steps:\n  - { id: call, title: Call, runbook: pay-secret }\n`),
  "manual-then-call.yaml": runbook(
    "manual-then-call",
    `steps:\n  - { id: look, title: Look, manual: Look first. }\n  - { id: call, title: Call, runbook: restart-api, params: { service: api } }\n`,
  ),
  "loop.yaml": runbook("loop", `steps:\n  - { id: again, title: Again, runbook: loop }\n`),
};

describe(`runbook steps on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let worker: Worker;
  let developer: Actor;
  let operator: Actor;
  let secondOperator: Actor;

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    await seedRunbooks(handle, runbookFiles);
    await seedScopedPolicies(handle);
    developer = await createActor(handle, "developer");
    operator = await createActor(handle, "operator");
    secondOperator = await createActor(handle, "operator", "second-operator");
    worker = new Worker({ handle, concurrency: 4, heartbeatTimeoutSeconds: 3, secretKey: undefined, outputCapBytes: 1 << 20, pollIntervalMs: 200, requestChild: requestChildRun });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await dispose?.();
  });

  const until = (actor: Actor, runId: number, statuses: readonly RunStatus[], timeoutMs = 30_000) =>
    eventually(async () => {
      const run = await getRun(actor, runId);
      return statuses.includes(run.status) ? run : undefined;
    }, timeoutMs);
  const ended: RunStatus[] = ["succeeded", "failed", "cancelled", "timed_out", "interrupted", "rejected", "expired"];

  it("requests the named runbook as the requester, with an earlier output as its parameter, and goes on when that run succeeds", async () => {
    const requested = await requestRun(developer, { slug: "wrapper", params: {} });
    const run = await until(developer, requested.id, ended);
    expect(run.status).toBe("succeeded");
    expect(run.steps?.map((step) => `${step.id}:${step.status}`)).toEqual(["prep:succeeded", "restart:succeeded", "after:succeeded"]);
    const childId = run.steps?.[1]?.runbook?.run?.id ?? 0;
    const child = await getRun(developer, childId);
    expect(child).toMatchObject({ status: "succeeded", runbook: { slug: "restart-api" }, params: { service: "api-gateway" }, parent: { runId: requested.id, stepPosition: 1 } });
    expect(child.requestedBy.id).toBe(developer.user.id);
    expect((await runOutputLines(developer, childId)).map((line) => line.line)).toContain("restarting api-gateway");
    const [childRequested] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.requested"), eq(auditEvents.subjectId, String(childId))));
    expect(childRequested?.details).toMatchObject({ parentRun: requested.id, parentStep: "restart" });
  });

  it("hands an output to the other runbook as data: its own parameter rules refuse a bad value, and the step fails saying so", async () => {
    const requested = await requestRun(developer, { slug: "bad-value", params: {} });
    const run = await until(developer, requested.id, ended);
    expect(run.status).toBe("failed");
    expect(run.steps?.[1]).toMatchObject({ status: "failed", runbook: { slug: "restart-api", run: null } });
    expect(run.steps?.[1]?.message).toContain("runbook restart-api was refused: service");
  });

  it("never lets a developer reach a high-risk runbook through a low-risk one; an operator's request asks for what the step's runbook needs, and its approval is someone else's", async () => {
    const refused = await rejection(requestRun(developer, { slug: "low-wrapper", params: {}, reason: "try" }));
    expect(refused).toMatchObject({ code: "forbidden", message: expect.stringContaining("promote-db (step promote)") });
    const denial = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "runbook.run"), eq(auditEvents.outcome, "denied"), eq(auditEvents.subjectId, "promote-db")));
    expect(denial.length).toBeGreaterThan(0);

    expect(await rejection(requestRun(operator, { slug: "low-wrapper", params: {} }))).toMatchObject({ code: "invalid_input", field: "reason" });
    expect(await rejection(requestRun(operator, { slug: "low-wrapper", params: {}, reason: "failover" }))).toMatchObject({ code: "invalid_input", field: "confirm" });
    const requested = await requestRun(operator, { slug: "low-wrapper", params: {}, reason: "failover", confirm: "low-wrapper" });
    const waiting = await eventually(async () => {
      const run = await getRun(operator, requested.id);
      return run.status === "waiting" && run.steps?.[0]?.runbook?.run ? run : undefined;
    });
    const childId = waiting.steps?.[0]?.runbook?.run?.id ?? 0;
    const child = await getRun(operator, childId);
    expect(child).toMatchObject({ status: "pending_approval", reason: "failover", risk: "high" });
    // The requester cannot approve the run their step requested.
    expect(await rejection(decideApproval(operator, childId, "approved", {}))).toMatchObject({ code: "forbidden" });
    await decideApproval(secondOperator, childId, "approved", { comment: "go" });
    const done = await until(operator, requested.id, ended);
    expect(done.status).toBe("succeeded");
    expect(done.steps?.map((step) => step.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("ends the run at a step whose run failed, or goes on past it when the step says continue", async () => {
    const failing = await requestRun(developer, { slug: "fail-wrapper", params: {} });
    const failed = await until(developer, failing.id, ended);
    expect(failed.status).toBe("failed");
    expect(failed.steps?.map((step) => step.status)).toEqual(["failed", "pending"]);
    expect(failed.errorMessage).toMatch(/step call: run #\d+ of fails failed/);
    expect((await runOutputLines(developer, failing.id)).map((line) => line.line)).not.toContain("never");

    const tolerant = await requestRun(developer, { slug: "tolerant-wrapper", params: {} });
    const went = await until(developer, tolerant.id, ended);
    expect(went.status).toBe("succeeded");
    expect(went.steps?.map((step) => step.status)).toEqual(["failed", "succeeded"]);
  });

  it("answers a step's hidden runbook exactly as a missing one", async () => {
    const missing = await rejection(requestRun(developer, { slug: "missing-wrapper", params: {} }));
    const hidden = await rejection(requestRun(developer, { slug: "hidden-wrapper", params: {} }));
    expect(missing).toMatchObject({ code: "conflict", message: 'step call runs runbook "no-such-runbook", which does not exist or which you may not see' });
    expect(hidden).toMatchObject({ code: "conflict", message: 'step call runs runbook "pay-secret", which does not exist or which you may not see' });
  });

  it("cancels the run a step requested when its run is cancelled", async () => {
    const requested = await requestRun(operator, { slug: "low-wrapper", params: {}, reason: "drill", confirm: "low-wrapper" });
    const waiting = await eventually(async () => {
      const run = await getRun(operator, requested.id);
      return run.status === "waiting" && run.steps?.[0]?.runbook?.run ? run : undefined;
    });
    const childId = waiting.steps?.[0]?.runbook?.run?.id ?? 0;
    // Skipping the step would leave that run going on unseen: refused, and not offered.
    expect(waiting.steps?.[0]?.canSkip).toBe(false);
    expect(await rejection(skipStep(operator, requested.id, "promote", { reason: "not needed now" }))).toMatchObject({ code: "conflict", message: expect.stringContaining(`waits for run #${childId}`) });
    expect((await cancelRun(operator, requested.id)).status).toBe("cancelled");
    expect((await getRun(operator, childId)).status).toBe("cancelled");
  });

  it("stops runbooks that request themselves at three runs deep", async () => {
    const requested = await requestRun(developer, { slug: "loop", params: {} });
    const top = await until(developer, requested.id, ended, 40_000);
    expect(top.status).toBe("failed");
    const second = await getRun(developer, top.steps?.[0]?.runbook?.run?.id ?? 0);
    const third = await getRun(developer, second.steps?.[0]?.runbook?.run?.id ?? 0);
    expect(third.steps?.[0]).toMatchObject({ status: "failed", runbook: { run: null } });
    expect(third.steps?.[0]?.message).toContain("nest at most 3 runs deep");
    expect([second.status, third.status]).toEqual(["failed", "failed"]);
  });

  it("asks as the requester is when the step is reached: a deactivated requester requests nothing more", async () => {
    const leaver = await createActor(handle, "developer", "leaver");
    const requested = await requestRun(leaver, { slug: "manual-then-call", params: {} });
    await until(developer, requested.id, ["waiting"]);
    await handle.db.execute(sql`update users set active = false where id = ${leaver.user.id}`);
    await completeStep(developer, requested.id, "look", {});
    const run = await until(developer, requested.id, ended);
    expect(run.status).toBe("failed");
    expect(run.steps?.[1]?.message).toBe(`cannot request runbook restart-api: ${leaver.user.email} is no longer active`);
  });
});
