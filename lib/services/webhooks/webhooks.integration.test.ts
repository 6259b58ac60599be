import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, webhookDeliveries, webhooks } from "../../db/schema";
import { enqueueRunEvent } from "../../notifications/run-events";
import { openWebhookSecret } from "../../notifications/webhook-secret";
import { secretKeyId, secretKeysFrom } from "../../secrets/keyring";
import { createActor, lastAudit, rejection } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { rotateSecrets } from "../secrets/rotate-secrets";
import { asSystemCaller } from "../caller";
import { createWebhook } from "./create-webhook";
import { deleteWebhook } from "./delete-webhook";
import { listDeliveries } from "./list-deliveries";
import { getWebhook, listWebhooks } from "./read-webhooks";
import { redeliver } from "./redeliver";
import { rotateWebhookSecret } from "./rotate-webhook-secret";
import { sendTestEvent } from "./send-test-event";
import { updateWebhook } from "./update-webhook";

const OLD_KEY = "webhook-old-key-for-tests-0123456789";
const NEW_KEY = "webhook-new-key-for-tests-9876543210";
const keys = secretKeysFrom({ secretKey: OLD_KEY });
const noKey = secretKeysFrom({ secretKey: undefined });
const url = "https://hooks.example.test/services/T000/B000/secret-path-token";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;
let platformOperator: Actor;
let paymentsOperator: Actor;
let developer: Actor;
let auditor: Actor;

const withTeams = (actor: Actor, teams: string[]): Actor => ({ ...actor, user: { ...actor.user, teams } });
const create = (actor: Actor, owner: string | null, name = `hook-${Math.random().toString(36).slice(2, 7)}`) =>
  createWebhook(actor, { name, url, events: ["run.finished", "run.failed"], owner }, keys);

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  admin = await createActor(handle, "admin");
  platformOperator = withTeams(await createActor(handle, "operator", "platform-op"), ["platform"]);
  paymentsOperator = withTeams(await createActor(handle, "operator", "payments-op"), ["payments"]);
  developer = await createActor(handle, "developer");
  auditor = await createActor(handle, "auditor");
});
afterAll(async () => dispose?.());

async function everything(): Promise<string> {
  return JSON.stringify([await handle.db.select().from(auditEvents)]);
}

describe(`webhooks on ${testDriver}`, () => {
  it("shows the signing secret once: in the create response, never in list, get or the audit log", async () => {
    const created = await create(admin, null, "ops-alerts");
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toMatchObject({ name: "ops-alerts", url, owner: null, format: "json", active: true, events: ["run.finished", "run.failed"], alwaysReceives: [], canManage: true, secretKeyId: secretKeyId(OLD_KEY) });
    const [row] = await handle.db.select().from(webhooks).where(eq(webhooks.id, created.webhook.id));
    expect(row?.secretCiphertext).not.toContain(created.secret);
    expect(openWebhookSecret(keys, created.webhook.id, { ciphertext: row?.secretCiphertext ?? "", keyId: row?.secretKeyId ?? "" })).toBe(created.secret);
    // A ciphertext moved onto another hook does not open.
    expect(() => openWebhookSecret(keys, "00000000-0000-4000-8000-000000000000", { ciphertext: row?.secretCiphertext ?? "", keyId: row?.secretKeyId ?? "" })).toThrow();

    expect(await lastAudit(handle, "webhook.created")).toMatchObject({
      actorEmail: admin.user.email,
      subjectId: created.webhook.id,
      details: { name: "ops-alerts", url: "https://hooks.example.test/…", owner: null, secretKeyId: secretKeyId(OLD_KEY) },
    });
    const rotated = await rotateWebhookSecret(admin, created.webhook.id, keys);
    expect(rotated.secret).not.toBe(created.secret);
    const shown = JSON.stringify([await listWebhooks(admin), await getWebhook(admin, created.webhook.id), await listWebhooks(auditor)]);
    const audit = await everything();
    for (const value of [created.secret, rotated.secret, row?.secretCiphertext ?? "?"]) {
      expect(shown).not.toContain(value);
      expect(audit).not.toContain(value);
    }
    expect(shown).not.toContain("secretCiphertext");
  });

  it("lets an operator manage their team's hooks only: not another team's, not an every-runbook hook, and not move one away", async () => {
    const mine = await create(platformOperator, "platform");
    expect(mine.webhook).toMatchObject({ owner: "platform", alwaysReceives: ["run.requested", "run.break_glass"] });
    const theirs = await create(admin, "payments");
    const global = (await listWebhooks(admin)).find((hook) => hook.name === "ops-alerts");
    if (!global) throw new Error("fixture missing");

    expect(await rejection(create(platformOperator, "payments", "sneaky"))).toMatchObject({ code: "forbidden", message: "no rule lets role operator manage webhook sneaky" });
    expect(await rejection(create(platformOperator, null, "everything"))).toMatchObject({ code: "forbidden" });
    expect(await lastAudit(handle, "webhook.manage")).toMatchObject({ outcome: "denied", actorEmail: platformOperator.user.email });

    expect(await updateWebhook(platformOperator, mine.webhook.id, { name: "platform-deploys" })).toMatchObject({ name: "platform-deploys" });
    for (const [id, change] of [
      [theirs.webhook.id, { name: "taken over" }],
      [global.id, { active: false }],
      [mine.webhook.id, { owner: "payments" }],
      [mine.webhook.id, { owner: null }],
    ] as const) {
      expect((await rejection(updateWebhook(platformOperator, id, change))).code).toBe("forbidden");
    }
    expect((await rejection(deleteWebhook(platformOperator, theirs.webhook.id))).code).toBe("forbidden");
    expect((await rejection(rotateWebhookSecret(platformOperator, global.id, keys))).code).toBe("forbidden");
    expect((await rejection(sendTestEvent(platformOperator, theirs.webhook.id))).code).toBe("forbidden");
    // The payments operator cannot pull the platform hook into their own team either.
    expect((await rejection(updateWebhook(paymentsOperator, mine.webhook.id, { owner: "payments" }))).code).toBe("forbidden");
    expect((await getWebhook(platformOperator, mine.webhook.id)).owner).toBe("platform");

    // Operators view every hook; URLs in full only where they may manage.
    const seen = await listWebhooks(platformOperator);
    expect(seen.find((hook) => hook.id === mine.webhook.id)).toMatchObject({ url, canManage: true });
    expect(seen.find((hook) => hook.id === theirs.webhook.id)).toMatchObject({ url: "https://hooks.example.test/…", canManage: false });
    // An admin may move a hook anywhere.
    expect(await updateWebhook(admin, theirs.webhook.id, { owner: null })).toMatchObject({ owner: null });
  });

  it("refuses developers everything, auditors every change; both refusals audited", async () => {
    const hook = await create(admin, null);
    expect(await rejection(listWebhooks(developer))).toMatchObject({ code: "forbidden", message: "no rule lets role developer view webhooks" });
    expect(await lastAudit(handle, "webhook.view")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email });
    expect((await rejection(getWebhook(developer, hook.webhook.id))).code).toBe("not_found");
    expect((await rejection(listDeliveries(developer, hook.webhook.id))).code).toBe("not_found");
    expect((await rejection(create(developer, null))).code).toBe("forbidden");
    expect((await rejection(updateWebhook(developer, hook.webhook.id, { active: false }))).code).toBe("not_found");

    expect((await listWebhooks(auditor)).map((entry) => entry.id)).toContain(hook.webhook.id);
    expect(await getWebhook(auditor, hook.webhook.id)).toMatchObject({ canManage: false, url: "https://hooks.example.test/…" });
    expect((await listDeliveries(auditor, hook.webhook.id)).deliveries).toEqual([]);
    // One at a time: each refusal is awaited before the next call starts.
    for (const attempt of [
      () => create(auditor, null),
      () => updateWebhook(auditor, hook.webhook.id, { active: false }),
      () => deleteWebhook(auditor, hook.webhook.id),
      () => rotateWebhookSecret(auditor, hook.webhook.id, keys),
      () => sendTestEvent(auditor, hook.webhook.id),
    ]) {
      expect((await rejection(attempt())).code).toBe("forbidden");
    }
    expect(await getWebhook(admin, hook.webhook.id)).toMatchObject({ active: true });
  });

  it("refuses bad input naming the field, storing nothing", async () => {
    const before = (await handle.db.select().from(webhooks)).length;
    const good = { name: "bad-input", url: "https://example.test/hook", events: ["run.finished"] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, name: "" }, "name"],
      [{ ...good, name: "x".repeat(101) }, "name"],
      [{ ...good, url: "ftp://example.test/hook" }, "url"],
      [{ ...good, url: "not a url" }, "url"],
      [{ ...good, url: "https://user:pass@example.test/hook" }, "url"],
      [{ ...good, url: undefined }, "url"],
      [{ ...good, events: [] }, "events"],
      [{ ...good, events: ["run.exploded"] }, "events.0"],
      [{ ...good, events: "run.finished" }, "events"],
      [{ ...good, format: "xml" }, "format"],
      [{ ...good, owner: 7 }, "owner"],
      [{ ...good, secret: "my-own-secret" }, "secret"],
    ];
    for (const [input, field] of cases) {
      expect(await rejection(createWebhook(admin, input as Parameters<typeof createWebhook>[1], keys))).toMatchObject({ code: "invalid_input", field });
    }
    const hook = await create(admin, null);
    for (const [input, field] of [
      [{}, "body"],
      [{ active: "no" }, "active"],
      [{ url: "javascript:alert(1)" }, "url"],
      [{ events: ["run.finished", "nope"] }, "events.1"],
    ] as const) {
      expect(await rejection(updateWebhook(admin, hook.webhook.id, input as Parameters<typeof updateWebhook>[2]))).toMatchObject({ code: "invalid_input", field });
    }
    expect(await rejection(listDeliveries(admin, hook.webhook.id, { limit: 0 }))).toMatchObject({ code: "invalid_input", field: "limit" });
    expect(await rejection(getWebhook(admin, "not-a-uuid"))).toMatchObject({ code: "not_found" });
    expect((await handle.db.select().from(webhooks)).length).toBe(before + 1);
  });

  it("refuses a URL on an internal network unless HANDRAIL_WEBHOOK_ALLOW_NETWORKS opens it, changing nothing", async () => {
    const before = (await handle.db.select().from(webhooks)).length;
    const metadata = await rejection(createWebhook(admin, { name: "metadata", url: "http://169.254.169.254/latest/meta-data/", events: ["run.finished"] }, keys));
    expect(metadata).toMatchObject({
      code: "invalid_input",
      field: "url",
      message: "url is not allowed: 169.254.169.254 is a link-local address; webhooks go to public addresses unless HANDRAIL_WEBHOOK_ALLOW_NETWORKS allows it",
    });
    expect(await rejection(createWebhook(admin, { name: "mapped", url: "http://[::ffff:10.0.0.7]/hook", events: ["run.finished"] }, keys))).toMatchObject({
      field: "url",
      message: expect.stringContaining("10.0.0.7 is a private address"),
    });
    const hook = await create(admin, null);
    expect(await rejection(updateWebhook(admin, hook.webhook.id, { url: "http://192.168.0.10:8080/hook" }))).toMatchObject({ field: "url", message: expect.stringContaining("192.168.0.10 is a private address") });
    expect(await getWebhook(admin, hook.webhook.id)).toMatchObject({ url });
    // This suite allows 127.0.0.0/8 (vitest.config.ts), as a deployment would open its own networks.
    await updateWebhook(admin, hook.webhook.id, { url: "http://127.0.0.1:9/hook" });
    expect((await handle.db.select().from(webhooks)).length).toBe(before + 1);
  });

  it("answers 409 naming HANDRAIL_SECRET_KEY when no key is configured, creating nothing", async () => {
    const before = (await handle.db.select().from(webhooks)).length;
    expect(await rejection(createWebhook(admin, { name: "keyless", url, events: ["run.failed"] }, noKey))).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("HANDRAIL_SECRET_KEY must be set"),
    });
    expect((await handle.db.select().from(webhooks)).length).toBe(before);
  });

  it("queues a test event, pages the delivery log newest first, and redelivers a finished delivery", async () => {
    const hook = await create(admin, null, "log-test");
    const test = await sendTestEvent(admin, hook.webhook.id, "https://handrail.example");
    expect(test).toMatchObject({ event: "webhook.test", status: "pending", attempts: 0, runId: null });
    const [row] = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, test.id));
    expect(row?.payload).toMatchObject({ event: "webhook.test", url: `https://handrail.example/admin/webhooks/${hook.webhook.id}`, webhook: { id: hook.webhook.id, name: "log-test" } });
    expect(await lastAudit(handle, "webhook.tested")).toMatchObject({ subjectId: hook.webhook.id, details: { deliveryId: test.id } });

    const run = { id: 77, status: "failed", runbook: { slug: "x", title: "X", owner: "platform", risk: "low" }, risk: "low", requestedBy: { email: "a@b.c", name: "A" }, params: {}, reason: null, ticket: null, dryRun: false, approvalsRequired: 0, breakGlass: null };
    for (let index = 0; index < 3; index++) await enqueueRunEvent(handle.db, "run.failed", run, "https://handrail.example");
    const first = await listDeliveries(admin, hook.webhook.id, { limit: 3 });
    expect(first.deliveries.map((delivery) => delivery.event)).toEqual(["run.failed", "run.failed", "run.failed"]);
    expect(first.deliveries[0]?.id).toBeGreaterThan(first.deliveries[1]?.id ?? Infinity);
    const second = await listDeliveries(auditor, hook.webhook.id, { limit: 3, before: first.nextBefore ?? 0 });
    expect(second).toEqual({ deliveries: [expect.objectContaining({ id: test.id, event: "webhook.test" })], nextBefore: null });
    expect((await listDeliveries(admin, hook.webhook.id, { status: "failed" })).deliveries).toEqual([]);

    expect(await rejection(redeliver(admin, hook.webhook.id, test.id))).toMatchObject({ code: "conflict", message: expect.stringContaining("already pending") });
    await handle.db.update(webhookDeliveries).set({ status: "failed", attempts: 6, responseStatus: 500, lastError: "HTTP 500" }).where(eq(webhookDeliveries.id, test.id));
    expect(await redeliver(admin, hook.webhook.id, test.id)).toMatchObject({ id: test.id, status: "pending", attempts: 0, responseStatus: null, lastError: null });
    expect(await lastAudit(handle, "webhook.redelivered")).toMatchObject({ details: { deliveryId: test.id, before: { status: "failed", attempts: 6 } } });
    expect((await rejection(redeliver(admin, hook.webhook.id, 999_999))).code).toBe("not_found");
    expect((await rejection(redeliver(auditor, hook.webhook.id, test.id))).code).toBe("forbidden");

    // Deactivating fails what was pending; a deactivated hook takes no test or redelivery.
    await updateWebhook(admin, hook.webhook.id, { active: false });
    expect((await listDeliveries(admin, hook.webhook.id, { status: "pending" })).deliveries).toEqual([]);
    expect(await rejection(sendTestEvent(admin, hook.webhook.id))).toMatchObject({ code: "conflict", message: expect.stringContaining("deactivated") });
  });

  it("deletes a hook with its delivery log, keeping the audit record", async () => {
    const hook = await create(admin, null, "short-lived");
    await sendTestEvent(admin, hook.webhook.id);
    expect(await deleteWebhook(admin, hook.webhook.id)).toEqual({ id: hook.webhook.id, name: "short-lived", deliveriesDeleted: 1 });
    expect(await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.webhook.id))).toEqual([]);
    expect((await rejection(getWebhook(admin, hook.webhook.id))).code).toBe("not_found");
    expect(await lastAudit(handle, "webhook.deleted")).toMatchObject({ subjectId: hook.webhook.id, details: { deliveriesDeleted: 1, after: null } });
  });

  it("re-seals every signing secret on `secrets rotate`, still opening to the same secret", async () => {
    const hook = await create(admin, "platform", "rotation");
    const rotating = secretKeysFrom({ secretKey: NEW_KEY, previousSecretKeys: [OLD_KEY] });
    const report = await rotateSecrets(asSystemCaller({ type: "system", id: "cli:test" }), rotating);
    expect(report.webhooks.rotated).toContainEqual({ id: hook.webhook.id, name: "rotation", from: secretKeyId(OLD_KEY) });
    const [row] = await handle.db.select().from(webhooks).where(eq(webhooks.id, hook.webhook.id));
    expect(row?.secretKeyId).toBe(secretKeyId(NEW_KEY));
    expect(openWebhookSecret(secretKeysFrom({ secretKey: NEW_KEY }), hook.webhook.id, { ciphertext: row?.secretCiphertext ?? "", keyId: row?.secretKeyId ?? "" })).toBe(hook.secret);
    expect((await rotateSecrets(asSystemCaller({ type: "system", id: "cli:test" }), rotating)).webhooks.rotated).toEqual([]);
    // Rotation re-seals every hook, so a caller who may not manage them all is refused.
    expect((await rejection(rotateSecrets(platformOperator, rotating))).code).toBe("forbidden");
  });
});
