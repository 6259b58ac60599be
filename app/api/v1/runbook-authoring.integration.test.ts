/**
 * The REST handlers for authoring runbooks and proposing them, called as real route handlers with
 * the session replaced by a header naming the actor; services and database are real.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/services/actor";

const session = vi.hoisted(() => ({ actors: new Map<string, Actor>() }));

vi.mock("@/lib/auth/current-actor", () => ({
  requestActor: async (request: Request) => session.actors.get(request.headers.get("x-test-actor") ?? "") ?? null,
  sessionActor: async () => null,
  requireActor: async () => {
    throw new Error("pages are not under test here");
  },
}));

import { callHandler, type RouteHandler } from "@/lib/testing/call-handler";
import { createActor, seedRunbooks } from "@/lib/testing/fixtures";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import * as runbooksRoute from "./runbooks/route";
import * as runbookRoute from "./runbooks/[slug]/route";
import * as proposalsRoute from "./proposals/route";

type Handler = RouteHandler;
type Who = "operator" | "developer" | "auditor";

const yaml = (greeting: string, slug = "greet") =>
  `slug: ${slug}\ntitle: Greet\nowner: platform\nrisk: low\ntimeout: 10s\nparameters:\n  - { name: who, type: string, required: true }\ncommand: ["/bin/echo", "${greeting}", "{{who}}"]\n`;

const call = (handler: Handler | undefined, method: string, who: Who | null, url: string, params: Record<string, string>, body?: unknown) =>
  callHandler(handler, method, who, url, params, body);

const create = (who: Who | null, body: unknown) => call(runbooksRoute.POST as Handler, "POST", who, "/api/v1/runbooks", {}, body);
const update = (who: Who, slug: string, body: unknown) => call(runbookRoute.PUT as Handler, "PUT", who, `/api/v1/runbooks/${slug}`, { slug }, body);
const propose = (who: Who, body: unknown) => call(proposalsRoute.POST as Handler, "POST", who, "/api/v1/proposals", {}, body);
const proposals = (who: Who | null, query = "") => call(proposalsRoute.GET as Handler, "GET", who, `/api/v1/proposals${query}`, {});

let dispose: () => Promise<void>;

beforeAll(async () => {
  const opened = await openTestDatabase();
  dispose = opened.dispose;
  await seedRunbooks(opened.handle, { "filed.yaml": "slug: filed\ntitle: Filed\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/true\"]\n" });
  for (const who of ["operator", "developer", "auditor"] as const) session.actors.set(who, await createActor(opened.handle, who));
});
afterAll(async () => dispose?.());

describe(`runbook authoring API on ${testDriver}`, () => {
  it("creates a runbook from YAML: 201 with its first version", async () => {
    const created = await create("operator", { yaml: yaml("Hello"), message: "first greeting" });
    expect(created).toEqual({ status: 201, json: { slug: "greet", revision: 1, versionHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(await create("operator", { yaml: yaml("Hello"), message: "again" })).toMatchObject({ status: 409 });
  });

  it("refuses creating without edit rights, and without a session", async () => {
    expect((await create("developer", { yaml: yaml("Hi", "dev-made"), message: "mine" })).status).toBe(403);
    expect((await create("auditor", { yaml: yaml("Hi", "aud-made"), message: "mine" })).status).toBe(403);
    expect((await create(null, { yaml: yaml("Hi", "anon-made"), message: "mine" })).status).toBe(401);
  });

  it("names the field of a bad body or a bad definition", async () => {
    expect(await create("operator", { yaml: yaml("Hi", "x1"), message: "m", dryRun: true })).toMatchObject({ status: 400, json: { field: "dryRun" } });
    expect(await create("operator", { yaml: yaml("Hi", "x2") })).toEqual({ status: 400, json: { error: "message: is required: say what changed and why", field: "message" } });
    expect(await create("operator", { yaml: 42, message: "m" })).toMatchObject({ status: 400, json: { field: "yaml", error: "yaml: must be text" } });
    expect(await create("operator", { yaml: yaml("Hi", "x3"), message: "  " })).toMatchObject({ status: 400, json: { field: "message" } });
    expect(await create("operator", { yaml: yaml("Hi", "x4").replace("10s", "ten seconds"), message: "m" })).toMatchObject({ status: 400, json: { field: "timeout" } });
    expect(await create("operator", "[not json")).toMatchObject({ status: 400, json: { field: "body" } });
  });

  it("saves a new version with PUT, and refuses a stale base with 409", async () => {
    const saved = await update("operator", "greet", { yaml: yaml("Good morning"), message: "friendlier", baseRevision: 1 });
    expect(saved).toEqual({ status: 200, json: { slug: "greet", revision: 2, versionHash: expect.any(String), changed: true } });
    const stale = await update("operator", "greet", { yaml: yaml("Good evening"), message: "later", baseRevision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatch(/changed since you opened it/);
    expect(await update("operator", "greet", { yaml: yaml("Good morning"), message: "same again" })).toMatchObject({ status: 200, json: { changed: false, revision: 2 } });
  });

  it("refuses PUT for the wrong slug, a file-managed runbook, a bad base, or without edit rights", async () => {
    expect(await update("operator", "greet", { yaml: yaml("Hi", "other"), message: "rename" })).toMatchObject({ status: 400, json: { field: "slug" } });
    expect((await update("operator", "filed", { yaml: yaml("Hi", "filed"), message: "edit a file" })).status).toBe(409);
    expect(await update("operator", "greet", { yaml: yaml("Hi"), message: "m", baseRevision: "two" })).toMatchObject({ status: 400, json: { field: "baseRevision" } });
    expect((await update("developer", "greet", { yaml: yaml("Yo"), message: "mine" })).status).toBe(403);
    expect((await update("operator", "no-such", { yaml: yaml("Hi", "no-such"), message: "m" })).status).toBe(404);
  });

  it("takes proposals from developers without making them runnable, and lists the open ones", async () => {
    const proposed = await propose("developer", { yaml: yaml("Howdy", "dev-greet"), message: "a friendlier runbook" });
    expect(proposed).toEqual({ status: 201, json: { id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    const change = await propose("developer", { yaml: yaml("Hey"), message: "shorter", slug: "greet" });
    expect(change.status).toBe(201);
    const runbooks = await listRunbooks(session.actors.get("developer") as Actor);
    expect(runbooks.map((runbook) => runbook.slug)).not.toContain("dev-greet");

    const open = await proposals("operator", "?status=open");
    expect(open.status).toBe(200);
    const listed = open.json.proposals as Array<{ id: string; slug: string; kind: string; status: string }>;
    expect(listed.map((proposal) => [proposal.slug, proposal.kind, proposal.status])).toEqual([
      ["greet", "change", "open"],
      ["dev-greet", "new", "open"],
    ]);
    expect(listed[1]?.id).toBe(proposed.json.id);
    expect((await proposals("developer")).json.proposals).toHaveLength(2);
    expect((await proposals("auditor")).json.proposals).toEqual([]);
  });

  it("names the field of a bad proposal or query", async () => {
    expect(await propose("developer", { yaml: yaml("Hey"), message: "m", slug: "Not A Slug" })).toMatchObject({ status: 400, json: { field: "slug" } });
    expect(await propose("developer", { yaml: yaml("Hey", "other"), message: "m", slug: "greet" })).toMatchObject({ status: 400, json: { field: "slug" } });
    expect(await propose("developer", { yaml: yaml("Hey"), message: "m", reviewer: "me" })).toMatchObject({ status: 400, json: { field: "reviewer" } });
    expect((await propose("auditor", { yaml: yaml("Hey", "aud"), message: "m" })).status).toBe(403);
    expect(await proposals("operator", "?status=pending")).toMatchObject({ status: 400, json: { field: "status" } });
    expect((await proposals(null)).status).toBe(401);
  });
});
