/**
 * The webhook REST handlers, called as real route handlers with the session replaced by a header
 * naming the actor; services and database are real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/services/actor";

const session = vi.hoisted(() => {
  // Signing secrets are sealed with the secret-store key, read from configuration.
  vi.stubEnv("HANDRAIL_SECRET_KEY", "webhooks-api-test-key-0123456789");
  return { actors: new Map<string, Actor>() };
});

vi.mock("@/lib/auth/current-actor", () => ({
  requestActor: async (request: Request) => session.actors.get(request.headers.get("x-test-actor") ?? "") ?? null,
  sessionActor: async () => null,
  requireActor: async () => {
    throw new Error("pages are not under test here");
  },
}));

import { callHandler, type RouteHandler } from "@/lib/testing/call-handler";
import { createActor, lastAudit } from "@/lib/testing/fixtures";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";
import type { DatabaseHandle } from "@/lib/db";
import * as listRoute from "./route";
import * as hookRoute from "./[id]/route";
import * as deliveriesRoute from "./[id]/deliveries/route";
import * as redeliverRoute from "./[id]/deliveries/[deliveryId]/redeliver/route";
import * as testRoute from "./[id]/test/route";
import * as rotateRoute from "./[id]/rotate-secret/route";

type Who = "admin" | "operator" | "developer" | "auditor" | null;
const call = (handler: unknown, method: string, who: Who, url: string, params: Record<string, string> = {}, body?: unknown) =>
  callHandler(handler as RouteHandler, method, who, url, params, body);

const good = { name: "deploys", url: "https://hooks.example.test/services/abc/def", events: ["run.finished", "run.failed"], format: "slack" };

let handle: DatabaseHandle;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  for (const who of ["admin", "operator", "developer", "auditor"] as const) {
    const actor = await createActor(handle, who);
    session.actors.set(who, who === "operator" ? { ...actor, user: { ...actor.user, teams: ["platform"] } } : actor);
  }
});
afterAll(async () => {
  await dispose?.();
  vi.unstubAllEnvs();
});

describe(`webhooks API on ${testDriver}`, () => {
  it("creates a hook (201) with its secret once; GET never shows it", async () => {
    const created = await call(listRoute.POST, "POST", "admin", "/api/v1/webhooks", {}, { ...good, format: "json" });
    expect(created.status).toBe(201);
    const secret = String(created.json.secret);
    const webhook = created.json.webhook as { id: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await call(listRoute.GET, "GET", "auditor", "/api/v1/webhooks");
    const one = await call(hookRoute.GET, "GET", "admin", `/api/v1/webhooks/${webhook.id}`, { id: webhook.id });
    expect(listed.status).toBe(200);
    expect(one).toMatchObject({ status: 200, json: { id: webhook.id, name: "deploys", format: "json", owner: null } });
    for (const body of [listed.json, one.json]) expect(JSON.stringify(body)).not.toContain(secret);
    expect(JSON.stringify(await lastAudit(handle, "webhook.created"))).not.toContain(secret);

    const rotated = await call(rotateRoute.POST, "POST", "admin", `/api/v1/webhooks/${webhook.id}/rotate-secret`, { id: webhook.id });
    expect(rotated).toMatchObject({ status: 200, json: { id: webhook.id, secret: expect.stringMatching(/^whsec_/) } });
    expect(rotated.json.secret).not.toBe(secret);
  });

  it("a Slack hook is not signed: no secret is handed out, and rotating one is refused", async () => {
    const created = await call(listRoute.POST, "POST", "admin", "/api/v1/webhooks", {}, { ...good, name: "slack-only" });
    expect(created).toMatchObject({ status: 201, json: { secret: null, webhook: { format: "slack" } } });
    const webhook = created.json.webhook as { id: string };
    const rotated = await call(rotateRoute.POST, "POST", "admin", `/api/v1/webhooks/${webhook.id}/rotate-secret`, { id: webhook.id });
    expect(rotated.status).toBe(409);
    expect(String(rotated.json.error)).toContain("Slack messages, which are not signed");
  });

  it("answers 400 naming the field for bad bodies and queries, changing nothing", async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...good, url: "file:///etc/passwd" }, "url"],
      [{ ...good, events: [] }, "events"],
      [{ ...good, events: ["run.finished", "bogus"] }, "events.1"],
      [{ ...good, name: "" }, "name"],
      [{ ...good, format: "teams" }, "format"],
      [{ ...good, secret: "mine" }, "secret"],
      ["{not json", "body"],
      [[good], "body"],
    ];
    for (const [body, field] of cases) {
      const response = await call(listRoute.POST, "POST", "admin", "/api/v1/webhooks", {}, body);
      expect({ body, status: response.status, field: response.json.field }).toEqual({ body, status: 400, field });
      expect(String(response.json.error)).toContain(field === "body" ? "" : field);
    }
    // Only the two hooks the tests above created: no bad body made one.
    const hooks = (await call(listRoute.GET, "GET", "admin", "/api/v1/webhooks")).json.webhooks as { id: string; name: string }[];
    expect(hooks.map((hook) => hook.name).sort()).toEqual(["deploys", "slack-only"]);
    const id = hooks.find((hook) => hook.name === "deploys")?.id ?? "";
    expect(await call(hookRoute.PUT, "PUT", "admin", `/api/v1/webhooks/${id}`, { id }, { active: "yes" })).toMatchObject({ status: 400, json: { field: "active" } });
    expect(await call(hookRoute.PUT, "PUT", "admin", `/api/v1/webhooks/${id}`, { id }, {})).toMatchObject({ status: 400, json: { field: "body" } });
    expect(await call(deliveriesRoute.GET, "GET", "admin", `/api/v1/webhooks/${id}/deliveries?limit=999`, { id })).toMatchObject({ status: 400, json: { field: "limit" } });
    expect(await call(deliveriesRoute.GET, "GET", "admin", `/api/v1/webhooks/${id}/deliveries?state=x`, { id })).toMatchObject({ status: 400, json: { field: "state" } });
    expect((await call(hookRoute.GET, "GET", "admin", "/api/v1/webhooks/nope", { id: "nope" })).status).toBe(404);
  });

  it("enforces policy on every route: 401 anonymous, 403 for who may not, 404 for who may not see", async () => {
    const hooks = (await call(listRoute.GET, "GET", "admin", "/api/v1/webhooks")).json.webhooks as { id: string }[];
    const id = hooks[0]?.id ?? "";
    expect((await call(listRoute.GET, "GET", null, "/api/v1/webhooks")).status).toBe(401);
    expect((await call(listRoute.GET, "GET", "developer", "/api/v1/webhooks")).status).toBe(403);
    expect((await call(hookRoute.GET, "GET", "developer", `/api/v1/webhooks/${id}`, { id })).status).toBe(404);
    expect((await call(listRoute.POST, "POST", "auditor", "/api/v1/webhooks", {}, good)).status).toBe(403);
    expect((await call(listRoute.POST, "POST", "operator", "/api/v1/webhooks", {}, good)).status).toBe(403);
    expect((await call(listRoute.POST, "POST", "operator", "/api/v1/webhooks", {}, { ...good, owner: "platform" })).status).toBe(201);
    expect((await call(hookRoute.PUT, "PUT", "operator", `/api/v1/webhooks/${id}`, { id }, { owner: "platform" })).status).toBe(403);
    expect((await call(hookRoute.DELETE, "DELETE", "auditor", `/api/v1/webhooks/${id}`, { id })).status).toBe(403);
    expect((await call(testRoute.POST, "POST", "operator", `/api/v1/webhooks/${id}/test`, { id })).status).toBe(403);
    expect((await call(rotateRoute.POST, "POST", "auditor", `/api/v1/webhooks/${id}/rotate-secret`, { id })).status).toBe(403);
    expect((await call(deliveriesRoute.GET, "GET", "auditor", `/api/v1/webhooks/${id}/deliveries`, { id })).status).toBe(200);
  });

  it("sends a test event (202), lists it, refuses redelivering it while pending, deletes the hook", async () => {
    const hooks = (await call(listRoute.GET, "GET", "admin", "/api/v1/webhooks")).json.webhooks as { id: string }[];
    const id = hooks[0]?.id ?? "";
    const test = await call(testRoute.POST, "POST", "admin", `/api/v1/webhooks/${id}/test`, { id });
    expect(test).toMatchObject({ status: 202, json: { event: "webhook.test", status: "pending" } });
    const deliveryId = String(test.json.id);
    const log = await call(deliveriesRoute.GET, "GET", "auditor", `/api/v1/webhooks/${id}/deliveries`, { id });
    expect(log).toMatchObject({ status: 200, json: { deliveries: [{ id: Number(deliveryId), event: "webhook.test" }], nextBefore: null } });
    const redeliver = (delivery: string, who: Who = "admin") =>
      call(redeliverRoute.POST, "POST", who, `/api/v1/webhooks/${id}/deliveries/${delivery}/redeliver`, { id, deliveryId: delivery });
    expect((await redeliver(deliveryId)).status).toBe(409);
    expect((await redeliver(deliveryId, "auditor")).status).toBe(403);
    expect((await redeliver("abc")).status).toBe(404);
    expect((await redeliver("424242")).status).toBe(404);
    expect(await call(hookRoute.DELETE, "DELETE", "admin", `/api/v1/webhooks/${id}`, { id })).toMatchObject({ status: 200, json: { id, deliveriesDeleted: 1 } });
    expect((await call(hookRoute.GET, "GET", "admin", `/api/v1/webhooks/${id}`, { id })).status).toBe(404);
  });
});
