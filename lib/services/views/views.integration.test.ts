import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runs, schedules, webhookDeliveries, webhooks } from "../../db/schema";
import { Worker } from "../../executor/worker";
import { createActor, rejection, seedRunbooks, seedScopedPolicies, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { AppError } from "../../errors";
import type { Actor } from "../actor";
import { listRuns } from "../runs/list-runs";
import { requestRun } from "../runs/request-run";
import { requestChildRun } from "../runs/steps/request-child-run";
import { HISTORY_LENGTH, listPanels } from "./panels";
import { REFRESH_INTERVAL_MS, refreshPanel } from "./refresh-panel";
import { startDemoViews } from "./start-demo-views";
import { fireDueSchedules } from "../schedules/fire-due";

const runbook = (slug: string, owner: string, body: string, tags = "[api]") => `slug: ${slug}\ntitle: ${slug}\nowner: ${owner}\ntags: ${tags}\nrisk: low\ntimeout: 30s\n${body}`;
// A view whose output each run chooses: its last line is the `result` parameter, its exit code `code`.
const echoView = `view: true
parameters:
  - { name: result, type: string, default: '{"status":"ok","headline":"fine","value":1}' }
  - { name: code, type: integer, min: 0, max: 3, default: 0 }
script:
  language: bash
  content: |
    echo "probing"
    echo "$HANDRAIL_PARAM_RESULT"
    exit "$HANDRAIL_PARAM_CODE"
`;

describe(`views on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let worker: Worker;
  let operator: Actor;
  let developer: Actor;
  let auditor: Actor;
  let payments: Actor;

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    await seedRunbooks(handle, {
      "api-health.yaml": runbook("api-health", "platform", echoView),
      "restart-api.yaml": runbook("restart-api", "platform", `command: ["/bin/echo", "restarting"]\n`),
      "unrelated.yaml": runbook("unrelated", "platform", `command: ["/bin/true"]\n`, "[billing]"),
      "pay-health.yaml": runbook("pay-health", "payments", echoView, "[payments]"),
    });
    await seedScopedPolicies(handle);
    operator = await createActor(handle, "operator");
    developer = await createActor(handle, "developer");
    auditor = await createActor(handle, "auditor");
    payments = await createActor(handle, "developer", "payments-dev");
    payments.user.teams = ["payments"];
    worker = new Worker({ handle, concurrency: 2, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: 1 << 20, pollIntervalMs: 200, requestChild: requestChildRun });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await dispose?.();
  });

  const report = async (result: unknown, code = 0) => {
    const requested = await requestRun(operator, { slug: "api-health", params: { result: typeof result === "string" ? result : JSON.stringify(result), code } });
    return waitForRunEnd(operator, requested.id);
  };
  const panelOf = async (actor: Actor, slug = "api-health") => (await listPanels(actor)).find((panel) => panel.runbook.slug === slug);

  it("shows the latest result with its history, the runbooks that act on the same thing, and a change of status as an event", async () => {
    const [hook] = await handle.db
      .insert(webhooks)
      .values({ name: "platform views", url: "https://hooks.example.test/views", events: ["view.status_changed"], owner: "platform", secretCiphertext: "x", secretKeyId: "k", createdBy: "test" })
      .returning();
    await report({ status: "ok", headline: "p95 40 ms", value: 40, unit: "ms" });
    await report({ status: "ok", headline: "p95 55 ms", value: 55, unit: "ms" });
    await report({ status: "critical", headline: "p95 900 ms", value: 900, unit: "ms", table: { columns: ["probe", "ms"], rows: [[1, 900]] } });
    const panel = await panelOf(developer);
    expect(panel?.latest).toMatchObject({ status: "critical", headline: "p95 900 ms", value: 900, unit: "ms", table: { columns: ["probe", "ms"], rows: [[1, 900]] }, parseError: null });
    expect(panel?.history.map((result) => [result.status, result.value])).toEqual([
      ["ok", 40],
      ["ok", 55],
      ["critical", 900],
    ]);
    expect(panel?.related.map((related) => related.slug)).toEqual(["restart-api"]);
    // And the other way round: what a runbook acts on, shown before it is run.
    const before = await listPanels(developer, { relatedTo: { slug: "restart-api", tags: ["api"], owner: "platform" } });
    expect(before.map((view) => [view.runbook.slug, view.latest?.status])).toEqual([["api-health", "critical"]]);
    expect(await listPanels(developer, { relatedTo: { slug: "unrelated", tags: ["billing"], owner: "platform" } })).toEqual([]);

    const changes = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "view.status_changed"));
    expect(changes.map((event) => event.details)).toEqual([expect.objectContaining({ from: "ok", to: "critical", headline: "p95 900 ms" })]);
    // (An owner's hook also hears of every run of their runbooks.)
    const deliveries = await handle.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, hook?.id ?? ""), eq(webhookDeliveries.event, "view.status_changed")));
    expect(deliveries.map((delivery) => delivery.payload)).toMatchObject([{ event: "view.status_changed", view: { runbook: { slug: "api-health", owner: "platform" }, from: "ok", to: "critical", headline: "p95 900 ms" } }]);
  });

  it("shows output that is not a result as the raw output with the reason, never as a blank", async () => {
    await report("all good, probably");
    const unreadable = (await panelOf(operator))?.latest;
    expect(unreadable).toMatchObject({ status: "unknown", headline: null, parseError: "no result: the last line of output is not a JSON object" });
    expect(unreadable?.raw).toBe("probing\nall good, probably");
    await report('{"status":"green","headline":"x"}');
    expect((await panelOf(operator))?.latest?.parseError).toBe('status: must be "ok", "warn" or "critical"');
    // A run that failed without a result says so; one that failed with a result still shows it.
    const failed = await report("oops", 3);
    expect(failed.status).toBe("failed");
    expect((await panelOf(operator))?.latest?.parseError).toMatch(/^the run failed \(exit 3\); no result/);
    await report({ status: "critical", headline: "probe refused" }, 2);
    expect((await panelOf(operator))?.latest).toMatchObject({ status: "critical", headline: "probe refused", parseError: null });
  });

  it("keeps the last HISTORY_LENGTH results in its strip, oldest first", async () => {
    const before = (await panelOf(operator))?.history.length ?? 0;
    for (let index = before; index < HISTORY_LENGTH + 2; index++) await report({ status: "ok", headline: `run ${index}`, value: index });
    const { history = [] } = (await panelOf(operator)) ?? {};
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history.at(-1)?.value).toBe(HISTORY_LENGTH + 1);
    expect(history.map((result) => result.run)).toEqual([...history.map((result) => result.run)].sort((a, b) => a - b));
  });

  it("never shows a view its viewer may not see, and answers its refresh as if it did not exist", async () => {
    expect((await listPanels(operator)).map((panel) => panel.runbook.slug)).not.toContain("pay-health");
    expect((await listPanels(payments)).map((panel) => panel.runbook.slug)).toContain("pay-health");
    const hidden = await rejection(refreshPanel(operator, "pay-health"));
    const missing = await rejection(refreshPanel(operator, "no-such-view"));
    expect([hidden.code, missing.code]).toEqual(["not_found", "not_found"]);
    expect(hidden.message).toBe(missing.message.replace("no-such-view", "pay-health"));
    // A runbook that is not a view is not refreshed as one; someone who may not run it is refused before hearing of its runs.
    expect((await rejection(refreshPanel(operator, "restart-api"))).code).toBe("not_found");
    expect((await rejection(refreshPanel(auditor, "api-health"))).code).toBe("forbidden");
  });

  it("refreshes a panel with a normal, audited run, at most once per interval and never while a run of it is going", async () => {
    await worker.stop();
    // An hour on from the runs above, so the interval has passed.
    const first = await refreshPanel(developer, "api-health", new Date(Date.now() + 3_600_000));
    expect(first).toMatchObject({ runbook: { slug: "api-health" }, requestedBy: { email: developer.user.email } });
    const [requested] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.requested"), eq(auditEvents.subjectId, String(first.id))));
    expect(requested?.actorEmail).toBe(developer.user.email);
    const busy = await rejection(refreshPanel(operator, "api-health"));
    expect({ code: busy.code, message: busy.message }).toEqual({ code: "rate_limited", message: expect.stringContaining(`run #${first.id} is queued`) });
    expect((await panelOf(operator))?.refreshing).toBe(true);

    await handle.db.update(runs).set({ status: "succeeded", startedAt: new Date(), finishedAt: new Date() }).where(eq(runs.id, first.id));
    const soon = await rejection(refreshPanel(operator, "api-health", new Date(Date.now() + 10_000)));
    expect({ code: soon.code, message: soon.message }).toEqual({ code: "rate_limited", message: expect.stringMatching(/refreshed 1\d s ago .* again in \d+ s/) });
    const later = await refreshPanel(operator, "api-health", new Date(Date.now() + REFRESH_INTERVAL_MS + 1000));
    expect(later.id).toBeGreaterThan(first.id);
  });

  it("makes one run of refreshes sent at the same moment: the rest are refused as too soon", async () => {
    await handle.db.update(runs).set({ status: "succeeded", startedAt: new Date(), finishedAt: new Date() }).where(eq(runs.runbookSlug, "api-health"));
    const at = new Date(Date.now() + 2 * 3_600_000);
    const results = await Promise.allSettled([refreshPanel(developer, "api-health", at), refreshPanel(operator, "api-health", at), refreshPanel(developer, "api-health", at)]);
    const made = results.filter((result) => result.status === "fulfilled");
    const refused = results.flatMap((result) => (result.status === "rejected" ? [(result.reason as AppError).code] : []));
    expect(made).toHaveLength(1);
    expect(refused).toEqual(["rate_limited", "rate_limited"]);
  });

  it("in demo mode, brings a view's never-fired schedule forward so the dashboard has a result from the start", async () => {
    const files = {
      "api-health.yaml": runbook("api-health", "platform", echoView),
      "restart-api.yaml": runbook("restart-api", "platform", `command: ["/bin/echo", "restarting"]\n`),
      "unrelated.yaml": runbook("unrelated", "platform", `command: ["/bin/true"]\n`, "[billing]"),
      "pay-health.yaml": runbook("pay-health", "payments", echoView, "[payments]"),
      "queue-depth.yaml": runbook("queue-depth", "platform", `${echoView}schedules:\n  - { name: every-five-minutes, cron: "*/5 * * * *", owner: ${operator.user.email} }\n`),
    };
    await seedRunbooks(handle, files);
    const now = new Date();
    expect(await startDemoViews(handle.db, now)).toBe(1);
    const [schedule] = await handle.db.select().from(schedules).where(eq(schedules.runbookSlug, "queue-depth"));
    expect(schedule?.nextFireAt?.getTime()).toBe(now.getTime());
    expect((await fireDueSchedules(new Date(now.getTime() + 100))).filter((result) => result.kind === "run")).toHaveLength(1);
    // Fired once: a restart brings nothing forward again.
    expect(await startDemoViews(handle.db)).toBe(0);
  });

  it("keeps view runs in history but out of the default runs list", async () => {
    const ids = async (filters: Parameters<typeof listRuns>[1]) => (await listRuns(operator, { limit: 200, ...filters })).runs.map((run) => run.runbook.slug);
    expect(await ids({})).not.toContain("api-health");
    expect(await ids({ views: "include" })).toContain("api-health");
    expect(new Set(await ids({ views: "only" }))).toEqual(new Set(["api-health", "queue-depth"]));
    expect(new Set(await ids({ runbook: "api-health" }))).toEqual(new Set(["api-health"]));
  });
});
