import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { Worker } from "../../executor/worker";
import { createActor, eventually, rejection, runOutputLines, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { syncRunbooks } from "../runbooks/sync-runbooks";
import { requestRun } from "./request-run";
import { getRun } from "./get-run";
import { completeStep } from "./steps/act-on-step";
import { listPanels } from "../views/panels";
import { decideStepApproval } from "./steps/decide-step-approval";
import { requestChildRun } from "./steps/request-child-run";

// The shipped demo runbooks, run as a run is run on this host (the sandbox, as a uid of its own):
// they must work without reading the install directory, and hand out no file they were not built for.
describe(`shipped demo runbooks under isolation on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let worker: Worker;
  let operator: Actor;

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    const report = await syncRunbooks(handle, path.resolve("runbooks"), { type: "system", id: "test" });
    expect(report.errors).toEqual([]);
    operator = await createActor(handle, "operator");
    worker = new Worker({ handle, concurrency: 2, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: 1 << 20, pollIntervalMs: 200, requestChild: requestChildRun });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await dispose?.();
  });

  const run = async (slug: string, params: Record<string, unknown>) => {
    const requested = await requestRun(operator, { slug, params, reason: "demo check" });
    const finished = await waitForRunEnd(operator, requested.id);
    return { status: finished.status, exitCode: finished.exitCode, lines: (await runOutputLines(operator, requested.id)).map((line) => line.line) };
  };

  it("runs isolated, as a user other than root", () => {
    expect(worker.isolation.plan.mode).not.toBe("none");
  });

  it("log-search finds lines in its bundled sample log", async () => {
    const result = await run("log-search", { file: "sample-app", pattern: "ERROR" });
    expect(result.status).toBe("succeeded");
    expect(result.lines.some((line) => line.includes("ERROR"))).toBe(true);
  });

  it("tls-cert-expiry reads its bundled certificates: the demo one is fine, the expired one fails", async () => {
    const demo = await run("tls-cert-expiry", { certificate: "demo" });
    expect(demo.status).toBe("succeeded");
    expect(demo.lines.at(-1)).toMatch(/^OK: \d+ days left/);
    const expired = await run("tls-cert-expiry", { certificate: "expired-demo" });
    expect(expired).toMatchObject({ status: "failed", exitCode: 2 });
    expect(expired.lines.join("\n")).toContain("CRITICAL: certificate expired");
  });

  it("the database failover drill walks its checklist with the people in it", async () => {
    const requested = await requestRun(operator, { slug: "db-failover-drill", params: { cluster: "orders-db" }, reason: "demo check" });
    let waiting = await waitForRunEnd(operator, requested.id);
    expect(waiting.status).toBe("waiting");
    expect(waiting.steps?.map((step) => step.status)).toEqual(["succeeded", "skipped", "waiting", "pending", "pending", "pending", "pending"]);
    expect(Number(waiting.steps?.[0]?.outputs.lag_seconds)).toBeLessThan(30);
    await completeStep(operator, requested.id, "announce", { value: "CHG-1234" });
    // Promoting waits for a second person: the requester cannot approve it.
    waiting = await eventually(async () => {
      const run = await getRun(operator, requested.id);
      return run.status === "waiting" && run.steps?.[3]?.status === "waiting" ? run : undefined;
    });
    expect(waiting.steps?.[3]).toMatchObject({ canApprove: false, approval: { required: 1 } });
    await decideStepApproval(await createActor(handle, "admin", "drill-approver"), requested.id, "promote", "approved", { comment: "lag is fine" });
    waiting = await eventually(async () => {
      const run = await getRun(operator, requested.id);
      return run.status === "waiting" && run.steps?.[6]?.status === "waiting" ? run : undefined;
    });
    expect(waiting.steps?.[3]?.outputs).toEqual({ primary: "orders-db-replica-1" });
    // The health check is a run of its own, requested as the operator, linked to the step.
    const health = await getRun(operator, waiting.steps?.[5]?.runbook?.run?.id ?? 0);
    expect(health).toMatchObject({ status: "succeeded", runbook: { slug: "health-check" }, parent: { runId: requested.id, stepPosition: 5 } });
    await completeStep(operator, requested.id, "status_page", { note: "status page updated" });
    const finished = await waitForRunEnd(operator, requested.id);
    expect(finished.status).toBe("succeeded");
    const lines = (await runOutputLines(operator, requested.id)).map((line) => line.line);
    expect(lines).toContain("[CHG-1234] orders-db-replica-1 is the new primary");
    expect(lines).toContain("canary row read back: ok");
  });

  it("the demo's three views each report a result their panel shows (status, headline, value, table)", async () => {
    for (const slug of ["service-health", "certificate-expiry", "disk-space"]) {
      const result = await run(slug, {});
      expect({ slug, status: result.status }).toEqual({ slug, status: "succeeded" });
    }
    const panels = await listPanels(operator);
    for (const slug of ["service-health", "certificate-expiry", "disk-space"]) {
      const panel = panels.find((candidate) => candidate.runbook.slug === slug);
      expect({ slug, parseError: panel?.latest?.parseError }).toEqual({ slug, parseError: null });
      expect(["ok", "warn", "critical"]).toContain(panel?.latest?.status);
      expect(panel?.latest?.headline).toBeTruthy();
      expect(typeof panel?.latest?.value).toBe("number");
      expect(panel?.latest?.table?.rows.length).toBeGreaterThan(0);
    }
    // Beside the disk view, the runbooks that act on disks.
    expect(panels.find((panel) => panel.runbook.slug === "disk-space")?.related.map((related) => related.slug)).toContain("disk-usage");
  });

  it("disk-usage measures an allowed directory", async () => {
    const result = await run("disk-usage", { path: "/var/log", top: 3 });
    expect(result.status).toBe("succeeded");
  });

  it("none of them takes a path it was not built for", async () => {
    for (const [slug, params] of [
      ["log-search", { file: "/root/.handrail/auth-secret", pattern: "." }],
      ["tls-cert-expiry", { certificate: "/etc/shadow" }],
      ["disk-usage", { path: "/root" }],
    ] as const) {
      const error = await rejection(requestRun(operator, { slug, params, reason: "probe" }));
      expect(error.status).toBe(400);
    }
  });
});
