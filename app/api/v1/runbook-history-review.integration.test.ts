import { sql } from "drizzle-orm";
/**
 * The REST handlers for runbook history, archiving and proposal review, called as real route
 * handlers with the session replaced by a header naming the actor; services and database are real.
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

import type { DatabaseHandle } from "@/lib/db";
import { applied, createActor, rejection, seedRunbooks, seedScopedPolicies } from "@/lib/testing/fixtures";
import { callHandler, type RouteHandler } from "@/lib/testing/call-handler";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";
import { saveRunbook } from "@/lib/services/runbooks/authoring/save-runbook";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import { proposeRunbook } from "@/lib/services/runbooks/proposals/propose-runbook";
import { requestRun } from "@/lib/services/runs/request-run";
import * as revisionsRoute from "./runbooks/[slug]/revisions/route";
import * as compareRoute from "./runbooks/[slug]/revisions/compare/route";
import * as restoreRoute from "./runbooks/[slug]/revisions/[number]/restore/route";
import * as archiveRoute from "./runbooks/[slug]/archive/route";
import * as proposalRoute from "./proposals/[id]/route";
import * as publishRoute from "./proposals/[id]/publish/route";
import * as rejectRoute from "./proposals/[id]/reject/route";
import * as withdrawRoute from "./proposals/[id]/withdraw/route";

type Handler = RouteHandler;
type Who = "operator" | "reviewer" | "developer" | "auditor" | "payments";

const yaml = (greeting: string, slug = "greet", owner = "platform") =>
  `slug: ${slug}\ntitle: Greet\nowner: ${owner}\nrisk: low\ntimeout: 10s\ncommand: ["/bin/echo", "${greeting}"]\n`;

const call = (handler: Handler | undefined, who: Who | null, url: string, params: Record<string, string>, body?: unknown) =>
  callHandler(handler, body === undefined ? "GET" : "POST", who, url, params, body);

const actor = (who: Who) => session.actors.get(who) as Actor;

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let firstHash = "";

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, { "filed.yaml": yaml("from a file", "filed") });
  for (const who of ["operator", "reviewer", "developer", "auditor", "payments"] as const) {
    const role = who === "reviewer" ? "operator" : who === "payments" ? "developer" : who;
    const created = await createActor(handle, role, who);
    session.actors.set(who, who === "payments" ? { ...created, user: { ...created.user, teams: ["payments"] } } : created);
  }
  await seedScopedPolicies(handle);
  firstHash = applied(await saveRunbook(actor("operator"), { yaml: yaml("Hello"), message: "first" })).versionHash;
  await saveRunbook(actor("operator"), { slug: "greet", yaml: yaml("Good morning"), message: "friendlier" });
});
afterAll(async () => dispose?.());

describe(`runbook history and review API on ${testDriver}`, () => {
  it("lists and compares versions, naming a bad query parameter", async () => {
    const list = await call(revisionsRoute.GET as Handler, "developer", "/api/v1/runbooks/greet/revisions", { slug: "greet" });
    expect(list.status).toBe(200);
    expect((list.json.revisions as Array<{ number: number; current: boolean }>).map((revision) => [revision.number, revision.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect((await call(revisionsRoute.GET as Handler, null, "/api/v1/runbooks/greet/revisions", { slug: "greet" })).status).toBe(401);
    expect((await call(revisionsRoute.GET as Handler, "developer", "/api/v1/runbooks/nope/revisions", { slug: "nope" })).status).toBe(404);

    const compare = await call(compareRoute.GET as Handler, "auditor", "/api/v1/runbooks/greet/revisions/compare?from=1&to=2", { slug: "greet" });
    expect(compare.status).toBe(200);
    expect(compare.json).toMatchObject({ identical: false, from: { number: 1 }, to: { number: 2 } });
    expect((compare.json.rows as Array<{ kind: string }>).filter((row) => row.kind !== "same")).toHaveLength(1);
    const missing = await call(compareRoute.GET as Handler, "auditor", "/api/v1/runbooks/greet/revisions/compare?from=1", { slug: "greet" });
    expect([missing.status, missing.json.field]).toEqual([400, "to"]);
    const bad = await call(compareRoute.GET as Handler, "auditor", "/api/v1/runbooks/greet/revisions/compare?from=x&to=2", { slug: "greet" });
    expect([bad.status, bad.json.field]).toEqual([400, "from"]);
    expect((await call(compareRoute.GET as Handler, "auditor", "/api/v1/runbooks/greet/revisions/compare?from=1&to=9", { slug: "greet" })).status).toBe(404);
  });

  it("restores an old version as a new entry with the old content hash, only for editors and with a message", async () => {
    const url = "/api/v1/runbooks/greet/revisions/1/restore";
    const params = { slug: "greet", number: "1" };
    expect((await call(restoreRoute.POST as Handler, "developer", url, params, { message: "please" })).status).toBe(403);
    const noMessage = await call(restoreRoute.POST as Handler, "operator", url, params, {});
    expect([noMessage.status, noMessage.json.field]).toEqual([400, "message"]);
    const blank = await call(restoreRoute.POST as Handler, "operator", url, params, { message: "  " });
    expect([blank.status, blank.json.field]).toEqual([400, "message"]);
    const extra = await call(restoreRoute.POST as Handler, "operator", url, params, { message: "x", force: true });
    expect([extra.status, extra.json.field]).toEqual([400, "force"]);
    expect((await call(restoreRoute.POST as Handler, "operator", url, params, "{not json")).status).toBe(400);

    const restored = await call(restoreRoute.POST as Handler, "operator", url, params, { message: "back to the original" });
    expect(restored).toEqual({ status: 201, json: { slug: "greet", revision: 3, versionHash: firstHash, changed: true } });
    const again = await call(restoreRoute.POST as Handler, "operator", url, params, { message: "twice" });
    expect([again.status, again.json.error]).toEqual([409, expect.stringContaining("already the current content")]);
    const compare = await call(compareRoute.GET as Handler, "developer", "/api/v1/runbooks/greet/revisions/compare?from=1&to=3", { slug: "greet" });
    expect(compare.json).toMatchObject({ identical: true, to: { kind: "restored", restoredFrom: 1, message: "back to the original" } });

    const filed = await call(restoreRoute.POST as Handler, "operator", "/api/v1/runbooks/filed/revisions/1/restore", { slug: "filed", number: "1" }, { message: "x" });
    expect([filed.status, filed.json.error]).toEqual([409, expect.stringContaining("managed by the file")]);
    expect((await call(restoreRoute.POST as Handler, "operator", "/api/v1/runbooks/greet/revisions/abc/restore", { slug: "greet", number: "abc" }, { message: "x" })).status).toBe(404);
  });

  it("archives with a reason: the runbook leaves the runnable list, cannot run, shows as archived, and comes back", async () => {
    const url = "/api/v1/runbooks/greet/archive";
    const noReason = await call(archiveRoute.POST as Handler, "operator", url, { slug: "greet" }, { archived: true });
    expect([noReason.status, noReason.json.field]).toEqual([400, "reason"]);
    const noFlag = await call(archiveRoute.POST as Handler, "operator", url, { slug: "greet" }, { reason: "x" });
    expect([noFlag.status, noFlag.json.field]).toEqual([400, "archived"]);
    expect((await call(archiveRoute.POST as Handler, "developer", url, { slug: "greet" }, { archived: true, reason: "mine now" })).status).toBe(403);
    expect((await call(archiveRoute.POST as Handler, "operator", "/api/v1/runbooks/filed/archive", { slug: "filed" }, { archived: true, reason: "x" })).status).toBe(409);

    expect(await call(archiveRoute.POST as Handler, "operator", url, { slug: "greet" }, { archived: true, reason: "replaced" })).toEqual({
      status: 200,
      json: { slug: "greet", archived: true },
    });
    expect((await call(archiveRoute.POST as Handler, "operator", url, { slug: "greet" }, { archived: true, reason: "again" })).status).toBe(409);
    expect((await listRunbooks(actor("developer"))).map((runbook) => runbook.slug)).not.toContain("greet");
    expect((await listRunbooks(actor("developer"), { archived: true })).map((runbook) => [runbook.slug, runbook.archived, runbook.canRun])).toEqual([["greet", true, false]]);
    expect(await getRunbook(actor("operator"), "greet", { includeArchived: true })).toMatchObject({ archived: true, canRun: false, canEdit: true, runDeniedReason: expect.stringContaining("archived") });
    expect((await rejection(requestRun(actor("operator"), { slug: "greet", params: {} }))).status).toBe(404);
    expect((await rejection(getRunbook(actor("operator"), "greet"))).status).toBe(404);

    expect((await call(archiveRoute.POST as Handler, "operator", url, { slug: "greet" }, { archived: false, reason: "still needed" })).status).toBe(200);
    expect((await getRunbook(actor("developer"), "greet")).canRun).toBe(true);
  });

  it("filters archived runbooks by policy like active ones", async () => {
    await saveRunbook(actor("operator"), { yaml: yaml("refund", "pay-greet", "payments"), message: "payments only" });
    // Operators cannot see payments runbooks, so to them archiving it is a 404 like any unknown runbook.
    expect((await call(archiveRoute.POST as Handler, "operator", "/api/v1/runbooks/pay-greet/archive", { slug: "pay-greet" }, { archived: true, reason: "gone" })).status).toBe(404);
    await handle.db.execute(sql`update runbooks set archived_at = now() where slug = 'pay-greet'`);
    expect((await listRunbooks(actor("developer"), { archived: true })).map((runbook) => runbook.slug)).toEqual([]);
    expect((await listRunbooks(actor("payments"), { archived: true })).map((runbook) => [runbook.slug, runbook.canRun])).toEqual([["pay-greet", false]]);
    expect((await rejection(getRunbook(actor("developer"), "pay-greet", { includeArchived: true }))).status).toBe(404);
    expect((await getRunbook(actor("payments"), "pay-greet", { includeArchived: true })).canRun).toBe(false);
  });

  it("reviews proposals: comment required to reject, never by the author, withdraw only by the author", async () => {
    const change = await proposeRunbook(actor("developer"), { slug: "greet", yaml: yaml("Howdy"), message: "cowboy edition" });
    const path = (id: string, verb = "") => `/api/v1/proposals/${id}${verb ? `/${verb}` : ""}`;
    const read = await call(proposalRoute.GET as Handler, "developer", path(change.id), { id: change.id });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ kind: "change", status: "open", canReview: false, canWithdraw: true, stale: false });
    expect((await call(proposalRoute.GET as Handler, "auditor", path(change.id), { id: change.id })).status).toBe(404);
    expect((await call(proposalRoute.GET as Handler, "operator", path("not-a-uuid"), { id: "not-a-uuid" })).status).toBe(404);

    const selfPublish = await call(publishRoute.POST as Handler, "developer", path(change.id, "publish"), { id: change.id }, {});
    expect(selfPublish.status).toBe(403);
    const noComment = await call(rejectRoute.POST as Handler, "operator", path(change.id, "reject"), { id: change.id }, {});
    expect([noComment.status, noComment.json.field]).toEqual([400, "comment"]);
    const emptyComment = await call(rejectRoute.POST as Handler, "operator", path(change.id, "reject"), { id: change.id }, { comment: " " });
    expect([emptyComment.status, emptyComment.json.field]).toEqual([400, "comment"]);
    expect((await call(withdrawRoute.POST as Handler, "operator", path(change.id, "withdraw"), { id: change.id })).status).toBe(403);
    expect(await call(rejectRoute.POST as Handler, "operator", path(change.id, "reject"), { id: change.id }, { comment: "not our tone" })).toEqual({
      status: 200,
      json: { id: change.id, status: "rejected" },
    });
    expect((await call(publishRoute.POST as Handler, "reviewer", path(change.id, "publish"), { id: change.id }, {})).status).toBe(409);

    const fresh = await proposeRunbook(actor("developer"), { yaml: yaml("Hi", "greet-dev"), message: "a greeter for my team" });
    expect(await call(publishRoute.POST as Handler, "reviewer", path(fresh.id, "publish"), { id: fresh.id }, { comment: "looks good" })).toEqual({
      status: 200,
      json: { id: fresh.id, status: "published", slug: "greet-dev", revision: 1 },
    });
    const history = await call(revisionsRoute.GET as Handler, "developer", "/api/v1/runbooks/greet-dev/revisions", { slug: "greet-dev" });
    expect((history.json.revisions as unknown[])[0]).toMatchObject({ kind: "published", publishedBy: actor("reviewer").user.email });

    const mine = await proposeRunbook(actor("developer"), { slug: "greet", yaml: yaml("Hey"), message: "shorter" });
    expect(await call(withdrawRoute.POST as Handler, "developer", path(mine.id, "withdraw"), { id: mine.id })).toEqual({ status: 200, json: { id: mine.id, status: "withdrawn" } });
  });
});
