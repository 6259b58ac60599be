import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../db";
import { webhookDeliveries } from "../db/schema";
import { secretKeysFrom } from "../secrets/keyring";
import type { Actor } from "../services/actor";
import { createWebhook } from "../services/webhooks/create-webhook";
import { updateWebhook } from "../services/webhooks/update-webhook";
import { createActor, eventually } from "../testing/fixtures";
import { openTestDatabase, testDriver } from "../testing/test-database";
import { startReceiver } from "../testing/webhook-receiver";
import { startWebhookDelivery, type WebhookDeliveryOptions } from "./delivery-loop";
import { enqueueRunEvent, type RunEventName, type RunEventRun } from "./run-events";
import { verifySignature } from "./signing";
import { parseWebhookNetworks } from "../config/webhook-networks";

const keyring = secretKeysFrom({ secretKey: "webhook-loop-test-key-0123456789" });
const PUBLIC_URL = "https://handrail.example";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let databaseUrl: string | undefined;
let admin: Actor;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let nextRunId = 1000;

const runOf = (owner: string, extra: Partial<RunEventRun> = {}): RunEventRun => ({
  id: nextRunId++,
  status: "queued",
  runbook: { slug: `${owner}-deploy`, title: "Deploy", owner, risk: "medium" },
  risk: "medium",
  requestedBy: { email: "dev@example.test", name: "Dev" },
  params: { version: "1.2.3" },
  reason: "release",
  ticket: null,
  dryRun: false,
  approvalsRequired: 0,
  breakGlass: null,
  ...extra,
});

async function hook(path: string, events: RunEventName[], owner: string | null = null, format: "json" | "slack" = "json") {
  return createWebhook(admin, { name: `hook ${path}`, url: receiver.url(path), events, owner, format }, keyring);
}

async function enqueue(event: RunEventName, run: RunEventRun): Promise<number> {
  return enqueueRunEvent(handle.db, event, run, PUBLIC_URL);
}

async function deliveriesOf(webhookId: string) {
  return handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(webhookDeliveries.id);
}

/** Runs the loop (short backoff and timeout) while `work` waits for what it expects. */
async function withLoop<T>(work: () => Promise<T>, options: Partial<WebhookDeliveryOptions> = {}): Promise<T> {
  const loop = await startWebhookDelivery({ handle, keyring, pollIntervalMs: 50, backoffMs: [50, 50, 50, 50, 50], timeoutMs: 500, ...options });
  try {
    return await work();
  } finally {
    await loop.stop();
  }
}

const settled = (webhookId: string, count: number) => async () => {
  const rows = await deliveriesOf(webhookId);
  return rows.length >= count && rows.every((row) => row.status !== "pending") ? rows : undefined;
};

beforeAll(async () => {
  const opened = await openTestDatabase();
  ({ handle, dispose } = opened);
  databaseUrl = opened.url;
  admin = await createActor(handle, "admin");
  receiver = await startReceiver((path, count) => {
    if (path === "/fail") return 500;
    if (path === "/flaky") return count === 1 ? 500 : 204;
    if (path === "/hang") return "hang";
    if (path === "/redirect") return 302;
    return 200;
  });
});

afterAll(async () => {
  await receiver?.close();
  await dispose?.();
});

describe(`webhook delivery on ${testDriver}`, () => {
  it("delivers a signed JSON event with every header, and records it", async () => {
    const created = await hook("/ok", ["run.requested"]);
    const run = runOf("platform");
    expect(await enqueue("run.requested", run)).toBe(1);
    const [delivery] = await withLoop(() => eventually(settled(created.webhook.id, 1)));
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200, lastError: null });
    expect(delivery?.deliveredAt).toBeInstanceOf(Date);

    const [request] = receiver.on("/ok");
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^Handrail-Webhooks\//),
      "x-handrail-event": "run.requested",
      "x-handrail-delivery": String(delivery?.id),
      "x-handrail-timestamp": expect.stringMatching(/^\d+$/),
      "x-handrail-signature": expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    const body = request?.body ?? "";
    const signed = { timestamp: String(request?.headers["x-handrail-timestamp"]), signature: String(request?.headers["x-handrail-signature"]) };
    expect(verifySignature(created.secret ?? "", { ...signed, body })).toBe(true);
    expect(verifySignature(created.secret ?? "", { ...signed, body: body.replace("release", "Release") })).toBe(false);
    expect(JSON.parse(body)).toEqual({ event: "run.requested", at: expect.any(String), url: `${PUBLIC_URL}/runs/${run.id}`, run, deliveryId: delivery?.id });
    await updateWebhook(admin, created.webhook.id, { active: false });
  });

  it("sends the Slack format to a Slack hook", async () => {
    const created = await hook("/slack", ["run.finished"], null, "slack");
    await enqueue("run.finished", runOf("platform", { status: "succeeded", exitCode: 0 }));
    await withLoop(() => eventually(settled(created.webhook.id, 1)));
    const [sent] = receiver.on("/slack");
    // Slack checks no signature: the message goes unsigned.
    expect(sent?.headers["x-handrail-signature"]).toBeUndefined();
    const message = JSON.parse(sent?.body ?? "{}") as { text?: string; blocks?: unknown[] };
    expect(message.text).toContain("finished");
    expect(message.blocks?.length).toBeGreaterThan(0);
    await updateWebhook(admin, created.webhook.id, { active: false });
  });

  it("retries a 500 after the backoff, then delivers", async () => {
    const created = await hook("/flaky", ["run.failed"]);
    await enqueue("run.failed", runOf("platform", { status: "failed", exitCode: 1 }));
    const [delivery] = await withLoop(() => eventually(settled(created.webhook.id, 1)));
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2, responseStatus: 204, lastError: null });
    const [first, second] = receiver.on("/flaky");
    expect(first?.headers["x-handrail-delivery"]).toBe(second?.headers["x-handrail-delivery"]);
    await updateWebhook(admin, created.webhook.id, { active: false });
  });

  it("gives up after the last attempt: failed, with the response code and a short error", async () => {
    const created = await hook("/fail", ["run.finished"]);
    await enqueue("run.finished", runOf("platform"));
    const [delivery] = await withLoop(() => eventually(settled(created.webhook.id, 1)));
    expect(delivery).toMatchObject({ status: "failed", attempts: 6, responseStatus: 500, lastError: "HTTP 500 Internal Server Error" });
    expect(receiver.on("/fail")).toHaveLength(6);
    // Nothing more is sent once it has failed.
    await withLoop(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect(receiver.on("/fail")).toHaveLength(6);
    await updateWebhook(admin, created.webhook.id, { active: false });
  });

  it("times out a receiver that never answers, and never follows a redirect", async () => {
    const slow = await hook("/hang", ["run.requested"]);
    const moved = await hook("/redirect", ["run.requested"]);
    await enqueue("run.requested", runOf("platform"));
    const [hung, redirected] = await withLoop(
      async () => [await eventually(settled(slow.webhook.id, 1)), await eventually(settled(moved.webhook.id, 1))],
      { timeoutMs: 200, backoffMs: [50] },
    );
    expect(hung?.[0]).toMatchObject({ status: "failed", attempts: 2, responseStatus: null, lastError: "timed out after 0.2 s" });
    expect(redirected?.[0]).toMatchObject({ status: "failed", attempts: 2, responseStatus: 302, lastError: expect.stringContaining("redirects are not followed") });
    await updateWebhook(admin, slow.webhook.id, { active: false });
    await updateWebhook(admin, moved.webhook.id, { active: false });
  });

  it("refuses to connect to an address outside the allowed networks, by IP or by a name that resolves to it", async () => {
    const byAddress = await hook("/internal", ["run.requested"]);
    // Saved while loopback was allowed; a name resolving to loopback must be caught at connect time.
    const byName = await createWebhook(admin, { name: "hook by name", url: receiver.url("/internal-by-name").replace("127.0.0.1", "localhost"), events: ["run.requested"] }, keyring);
    await enqueue("run.requested", runOf("platform"));
    const [direct, resolved] = await withLoop(
      async () => [await eventually(settled(byAddress.webhook.id, 1)), await eventually(settled(byName.webhook.id, 1))],
      { backoffMs: [50], networks: parseWebhookNetworks("10.0.0.0/8") },
    );
    for (const rows of [direct, resolved]) {
      expect(rows?.[0]).toMatchObject({ status: "failed", attempts: 2, responseStatus: null, lastError: expect.stringMatching(/^refused: (127\.0\.0\.1|::1) is a loopback address; webhooks go to public addresses unless HANDRAIL_WEBHOOK_ALLOW_NETWORKS allows it$/) });
    }
    expect(receiver.on("/internal")).toHaveLength(0);
    expect(receiver.on("/internal-by-name")).toHaveLength(0);
    await updateWebhook(admin, byAddress.webhook.id, { active: false });
    await updateWebhook(admin, byName.webhook.id, { active: false });
  });

  it("never sends a delivery twice with two loops claiming at once", async () => {
    const created = await hook("/many", ["run.requested"]);
    const count = 40;
    for (let index = 0; index < count; index++) await enqueue("run.requested", runOf("platform"));
    // On PostgreSQL the second loop has its own connection pool, like another worker process.
    const other = databaseUrl ? await openDatabase({ kind: "postgres", url: databaseUrl }) : handle;
    const second = await startWebhookDelivery({ handle: other, keyring, pollIntervalMs: 20, batchSize: 3 });
    try {
      await withLoop(() => eventually(settled(created.webhook.id, count)), { pollIntervalMs: 20, batchSize: 3 });
    } finally {
      await second.stop();
      if (other !== handle) await other.close();
    }
    const ids = receiver.on("/many").map((request) => request.headers["x-handrail-delivery"]);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect((await deliveriesOf(created.webhook.id)).every((row) => row.status === "delivered" && row.attempts === 1)).toBe(true);
    await updateWebhook(admin, created.webhook.id, { active: false });
  });

  it("gives an owner's hook every use of their runbooks, and nothing of another owner's", async () => {
    // Subscribed to run.finished only: run.requested and run.break_glass come anyway, for its owner's runbooks.
    const owners = await hook("/owner", ["run.finished"], "payments");
    const everyone = await hook("/everyone", ["run.requested"]);
    const mine = runOf("payments");
    const theirs = runOf("platform");
    expect(await enqueue("run.requested", mine)).toBe(2);
    expect(await enqueue("run.requested", theirs)).toBe(1);
    expect(await enqueue("run.approval_needed", mine)).toBe(0);
    expect(await enqueue("run.break_glass", mine)).toBe(1);
    expect(await enqueue("run.finished", theirs)).toBe(0);
    await withLoop(async () => {
      await eventually(settled(owners.webhook.id, 2));
      await eventually(settled(everyone.webhook.id, 2));
    });
    const received = receiver.on("/owner").map((request) => JSON.parse(request.body) as { event: string; run: { id: number } });
    expect(received.map((entry) => [entry.event, entry.run.id])).toEqual([
      ["run.requested", mine.id],
      ["run.break_glass", mine.id],
    ]);
    expect(receiver.on("/everyone").map((request) => (JSON.parse(request.body) as { run: { id: number } }).run.id).sort()).toEqual([mine.id, theirs.id].sort());
    await updateWebhook(admin, owners.webhook.id, { active: false });
    await updateWebhook(admin, everyone.webhook.id, { active: false });
  });

  it("hands an attempt in flight back, uncounted, when it stops", async () => {
    const created = await hook("/hang", ["run.approval_needed"]);
    await enqueue("run.approval_needed", runOf("platform"));
    const before = receiver.on("/hang").length;
    await withLoop(() => eventually(async () => (receiver.on("/hang").length > before ? true : undefined)), { timeoutMs: 60_000 });
    const [row] = await deliveriesOf(created.webhook.id);
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    expect(row?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    await updateWebhook(admin, created.webhook.id, { active: false });
    const [cancelled] = await handle.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, [row?.id ?? 0]));
    expect(cancelled).toMatchObject({ status: "failed", lastError: "cancelled: the webhook was deactivated" });
  });
});
