/**
 * One person can tighten a runbook's safety nets, never loosen them (issue 15): the REST handlers
 * for saving, restoring and publishing, called as real route handlers with the session replaced by
 * a header naming the actor; services and database are real.
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
import { callHandler, type RouteHandler } from "@/lib/testing/call-handler";
import { createActor } from "@/lib/testing/fixtures";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";
import { listRuns } from "@/lib/services/runs/list-runs";
import { requestRun } from "@/lib/services/runs/request-run";
import * as createRoute from "./runbooks/route";
import * as runbookRoute from "./runbooks/[slug]/route";
import * as restoreRoute from "./runbooks/[slug]/revisions/[number]/restore/route";
import * as publishRoute from "./proposals/[id]/publish/route";

type Who = "author" | "second" | "developer";
const actor = (who: Who) => session.actors.get(who) as Actor;

let handle: DatabaseHandle;
let dispose: () => Promise<void>;

interface Nets {
  risk: string;
  approval: string;
  confirm: string;
  dryRun: string;
  owner: string;
  environment: string;
  tags: string;
}

const strict: Nets = {
  risk: "risk: high",
  approval: "approval: { required: 2, approvers: { roles: [admin, operator] }, expiresAfter: 1h }",
  confirm: "confirm: cluster",
  dryRun: "dryRun: { args: [--dry-run] }",
  owner: "owner: platform",
  environment: "environment: production",
  tags: "tags: [db, pci]",
};

function runbookYaml(slug: string, nets: Nets): string {
  return [
    `slug: ${slug}`,
    "title: Fail over a database",
    nets.owner,
    nets.risk,
    nets.approval,
    nets.confirm,
    nets.dryRun,
    nets.environment,
    nets.tags,
    "timeout: 10s",
    "parameters:",
    "  - { name: cluster, type: string, required: true }",
    "  - { name: region, type: string, required: false }",
    'command: ["/bin/echo", "{{cluster}}"]',
    "",
  ]
    .filter(Boolean)
    .join("\n");
}

let slugCounter = 0;
async function createStrict(): Promise<{ slug: string; hash: string }> {
  const slug = `failover-${++slugCounter}`;
  const created = await callHandler(createRoute.POST as RouteHandler, "POST", "author", "/api/v1/runbooks", {}, { yaml: runbookYaml(slug, strict), message: "first" });
  expect(created.status).toBe(201);
  return { slug, hash: String(created.json.versionHash) };
}

const save = (who: Who, slug: string, nets: Nets) =>
  callHandler(runbookRoute.PUT as RouteHandler, "PUT", who, `/api/v1/runbooks/${slug}`, { slug }, { yaml: runbookYaml(slug, nets), message: "simplify" });
const publish = (who: Who, id: string) => callHandler(publishRoute.POST as RouteHandler, "POST", who, `/api/v1/proposals/${id}/publish`, { id }, { comment: "reviewed" });

async function currentHash(slug: string): Promise<string> {
  return (await getRunbook(actor("second"), slug)).version;
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  session.actors.set("author", await createActor(handle, "operator", "author"));
  session.actors.set("second", await createActor(handle, "operator", "second"));
  session.actors.set("developer", await createActor(handle, "developer", "developer"));
});
afterAll(async () => dispose?.());

const loosening: Array<[string, Partial<Nets>, string[]]> = [
  ["lowering the risk", { risk: "risk: medium" }, ["risk high → medium"]],
  ["needing fewer approvals", { approval: "approval: { required: 1, approvers: { roles: [admin, operator] }, expiresAfter: 1h }" }, ["approvals required 2 → 1"]],
  ["removing approval", { approval: "" }, ["approvals required 2 → 1", "approvers: anyone the policies allow instead of role admin, role operator", "approval expires after 1h → the default"]],
  ["widening the approvers", { approval: "approval: { required: 2, approvers: { roles: [admin, operator, developer] }, expiresAfter: 1h }" }, ["approvers widened: role developer added"]],
  ["lengthening the expiry", { approval: "approval: { required: 2, approvers: { roles: [admin, operator] }, expiresAfter: 8h }" }, ["approval expires after 1h → 8h"]],
  ["dropping confirm", { confirm: "" }, ["confirm cluster removed"]],
  ["dropping the dry-run mode", { dryRun: "" }, ["dry-run mode removed"]],
  ["changing the owner", { owner: "owner: sandbox" }, ["owner platform → sandbox"]],
  ["changing the environment", { environment: "environment: staging" }, ["environment production → staging"]],
  ["removing a tag", { tags: "tags: [db]" }, ["tag pci removed"]],
];

describe(`loosening a runbook needs a second editor (${testDriver})`, () => {
  it.each(loosening)("%s: 202 with what it loosens, nothing changes, the author cannot publish, another editor can", async (_name, change, expected) => {
    const { slug, hash } = await createStrict();
    const held = await save("author", slug, { ...strict, ...change });
    expect(held.status).toBe(202);
    expect(held.json).toMatchObject({ status: "pending_review", slug, loosens: expected });
    const proposalId = String((held.json.proposal as { id: string }).id);
    expect(await currentHash(slug)).toBe(hash);

    const byAuthor = await publish("author", proposalId);
    expect(byAuthor.status).toBe(403);
    expect(byAuthor.json.error).toContain("someone else must review it");
    expect(await currentHash(slug)).toBe(hash);

    const bySecond = await publish("second", proposalId);
    expect(bySecond.status).toBe(200);
    expect(await currentHash(slug)).not.toBe(hash);
  });

  it("tightening is applied at once", async () => {
    const slug = `tighten-${++slugCounter}`;
    const loose: Nets = { ...strict, risk: "risk: low", approval: "", confirm: "", dryRun: "", tags: "tags: [db]" };
    const created = await callHandler(createRoute.POST as RouteHandler, "POST", "author", "/api/v1/runbooks", {}, { yaml: runbookYaml(slug, loose), message: "first" });
    expect(created.status).toBe(201);
    const tightened = await save("author", slug, strict);
    expect(tightened.status).toBe(200);
    expect(tightened.json).toMatchObject({ changed: true, revision: 2 });
    expect(await currentHash(slug)).toBe(tightened.json.versionHash);
  });

  it("a restore that loosens is held like an edit, and the restorer cannot publish it", async () => {
    const { slug, hash: strictHash } = await createStrict();
    const held = await save("author", slug, { ...strict, risk: "risk: low" });
    expect(held.status).toBe(202);
    // The second editor publishes the low-risk version; then the author raises it again (tightening) ...
    expect((await publish("second", String((held.json.proposal as { id: string }).id))).status).toBe(200);
    const lowHash = await currentHash(slug);
    expect((await save("author", slug, strict)).status).toBe(200);
    expect(await currentHash(slug)).toBe(strictHash);
    // ... and restoring the low-risk version (revision 2) loosens again: held, and not the restorer's to publish.
    const restore = await callHandler(restoreRoute.POST as RouteHandler, "POST", "author", `/api/v1/runbooks/${slug}/revisions/2/restore`, { slug, number: "2" }, { message: "back" });
    expect(restore.status).toBe(202);
    expect(restore.json).toMatchObject({ status: "pending_review", loosens: ["risk high → low"] });
    const proposalId = String((restore.json.proposal as { id: string }).id);
    expect((await publish("author", proposalId)).status).toBe(403);
    expect(await currentHash(slug)).toBe(strictHash);
    expect((await publish("second", proposalId)).status).toBe(200);
    expect(await currentHash(slug)).toBe(lowHash);
  });

  it("the bypass of the issue no longer works: one operator cannot get a high-risk run running alone", async () => {
    const { slug } = await createStrict();
    const params = { cluster: "main" };
    const safety = { reason: "failover drill", confirm: "main" };
    const first = await requestRun(actor("author"), { slug, params, ...safety });
    expect(first.status).toBe("pending_approval");
    // Lower the risk and drop approval: held for review, so the next request still waits for two approvals.
    const held = await save("author", slug, { ...strict, risk: "risk: low", approval: "approval: { required: 0 }" });
    expect(held.status).toBe(202);
    const second = await requestRun(actor("author"), { slug, params, ...safety });
    expect(second.status).toBe("pending_approval");
    expect(second.approval).toMatchObject({ required: 2 });
    // Even promoted to admin, the author is still the author.
    const promoted: Actor = { ...actor("author"), user: { ...actor("author").user, role: "admin" } };
    session.actors.set("author", promoted);
    try {
      expect((await publish("author", String((held.json.proposal as { id: string }).id))).status).toBe(403);
    } finally {
      session.actors.set("author", { ...promoted, user: { ...promoted.user, role: "operator" } });
    }
    const { runs } = await listRuns(actor("second"), { runbook: slug });
    expect(runs.map((run) => run.status)).toEqual(["pending_approval", "pending_approval"]);
  });

  it("someone who may not edit still gets 403: the review path opens no back door", async () => {
    const { slug } = await createStrict();
    const refused = await save("developer", slug, { ...strict, risk: "risk: low" });
    expect(refused.status).toBe(403);
  });
});
