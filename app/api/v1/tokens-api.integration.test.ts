/**
 * API tokens through the real route handlers and the real bearer-token resolution (only the
 * browser-session module is replaced): expiry, scopes, role changes, service accounts, and an open stream
 * of a token revoked meanwhile.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Only next-auth's own module is replaced (it cannot load outside Next): bearer tokens never reach it.
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null }));
vi.mock("@/lib/api/output-stream", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/api/output-stream")>();
  // The stream re-checks its reader every 25 s; here every 200 ms, so the test does not wait half a minute.
  return { ...real, outputEventStream: (...args: Parameters<typeof real.outputEventStream>) => real.outputEventStream(args[0], args[1], args[2], { ...args[3], recheckMs: 200 }) };
});

import type { DatabaseHandle } from "@/lib/db";
import { queueTokenExpiryWarnings } from "@/lib/notifications/token-events";
import { secretKeysFrom } from "@/lib/secrets/keyring";
import type { Actor } from "@/lib/services/actor";
import { issueToken } from "@/lib/services/tokens/issue-token";
import { listTokens } from "@/lib/services/tokens/list-tokens";
import { revokeToken } from "@/lib/services/tokens/revoke-token";
import { authenticateToken } from "@/lib/services/tokens/tokens";
import { changeRole } from "@/lib/services/users/change-role";
import { createServiceAccount } from "@/lib/services/users/create-service-account";
import { deactivateUser } from "@/lib/services/users/deactivate-user";
import { sessionUser } from "@/lib/services/users/sessions";
import { signInWithPassword } from "@/lib/services/users/sign-in";
import { createWebhook } from "@/lib/services/webhooks/create-webhook";
import { createActor, lastAudit, rejection, seedRunbooks } from "@/lib/testing/fixtures";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";
import * as runbookRunsRoute from "./runbooks/[slug]/runs/route";
import * as runbooksRoute from "./runbooks/route";
import * as approveRoute from "./runs/[id]/approve/route";
import * as streamRoute from "./runs/[id]/stream/route";
import * as webhooksRoute from "./webhooks/route";
import * as withdrawRoute from "./proposals/[id]/withdraw/route";
import { proposeRunbook } from "@/lib/services/runbooks/proposals/propose-runbook";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

function call<P extends Record<string, string>>(handler: Handler<P>, method: string, token: string, url: string, params: P = {} as P, body?: unknown) {
  const request = new Request(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return handler(request, { params: Promise.resolve(params) });
}

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const runHealth = (token: string) => call(runbookRunsRoute.POST, "POST", token, "/api/v1/runbooks/health/runs", { slug: "health" }, { params: {} });
const runFailover = (token: string) =>
  call(runbookRunsRoute.POST, "POST", token, "/api/v1/runbooks/db-failover/runs", { slug: "db-failover" }, { params: {}, reason: "tokens test", confirm: "db-failover" });
const approve = (token: string, run: number) => call(approveRoute.POST, "POST", token, `/api/v1/runs/${run}/approve`, { id: String(run) }, { comment: "ok" });

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, {
    "health.yaml": 'slug: health\ntitle: Health\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n',
    "db-failover.yaml": 'slug: db-failover\ntitle: Failover\nowner: platform\nrisk: high\ntimeout: 10s\ncommand: ["/bin/true"]\n',
  });
  admin = await createActor(handle, "admin");
});
afterAll(async () => dispose?.());

describe(`API tokens through the routes (${testDriver})`, () => {
  it("an expired token gets 401 saying it expired; a live one works", async () => {
    const developer = await createActor(handle, "developer");
    const live = await issueToken(developer, { label: "live", expiresInDays: 1 });
    expect(Date.parse(live.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect((await call(runbooksRoute.GET, "GET", live.token, "/api/v1/runbooks")).status).toBe(200);

    await handle.db.execute(sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${live.id}`);
    const refused = await call(runbooksRoute.GET, "GET", live.token, "/api/v1/runbooks");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe("Bearer");
    expect(((await refused.json()) as { error: string }).error).toMatch(/^this API token expired at \d{4}-.*Tokens page/);
    expect((await listTokens(developer)).find((token) => token.id === live.id)).toMatchObject({ expired: true });
  });

  it("without scopes a token gets what the role allows; a narrowed token gets 403 naming the scope, and the attempt is audited", async () => {
    const developer = await createActor(handle, "developer");
    const full = await issueToken(developer, { label: "everything" });
    expect(full.scopes).toEqual(["read", "run", "author"]);
    expect((await json(await runHealth(full.token))).status).toBe(201);

    const reader = await issueToken(developer, { label: "read only", scopes: ["read"] });
    expect((await call(runbooksRoute.GET, "GET", reader.token, "/api/v1/runbooks")).status).toBe(200);
    const refused = await json(await runHealth(reader.token));
    expect(refused).toEqual({ status: 403, body: { error: 'this API token lacks the "run" scope, which run runbook health needs (its scopes: read)' } });
    expect(await lastAudit(handle, "runbook.run")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email, actorType: "token" });

    // Asking for a scope the role does not allow is refused when the token is made.
    expect(await rejection(issueToken(developer, { label: "approver", scopes: ["approve"] }))).toMatchObject({ code: "invalid_input", field: "scopes" });
  });

  it("approving needs the approve scope, even for an operator whose role allows it", async () => {
    const requester = await createActor(handle, "operator", "requester");
    const pending = await json(await runFailover((await issueToken(requester, { label: "r" })).token));
    expect(pending.status).toBe(201);
    const runId = Number(pending.body.id);

    const operator = await createActor(handle, "operator");
    const runner = await issueToken(operator, { label: "runner", scopes: ["run"] });
    const refused = await json(await approve(runner.token, runId));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('lacks the "approve" scope');
    const approver = await issueToken(operator, { label: "approver", scopes: ["approve"] });
    expect((await approve(approver.token, runId)).status).toBe(200);
  });

  it("a token without admin scope cannot manage webhooks or mint a broader token", async () => {
    const runOnly = await issueToken(admin, { label: "runs", scopes: ["run"] });
    const hook = { name: "scoped", url: "https://example.test/hook", events: ["run.finished"] };
    const refused = await json(await call(webhooksRoute.POST, "POST", runOnly.token, "/api/v1/webhooks", {}, hook));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('lacks the "admin" scope');
    const asToken = (await authenticateToken(runOnly.token)) as Actor;
    expect((await rejection(issueToken(asToken, { label: "escalate", scopes: ["admin"] }))).code).toBe("forbidden");
  });

  it("withdrawing one's own proposal, which no policy rule governs, still needs the author scope", async () => {
    const developer = await createActor(handle, "developer");
    const { id } = await proposeRunbook(developer, { yaml: 'slug: tokens-proposal\ntitle: P\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n', message: "try" });
    const withdraw = (token: string) => call(withdrawRoute.POST, "POST", token, `/api/v1/proposals/${id}/withdraw`, { id });
    const reader = await issueToken(developer, { label: "reader", scopes: ["read"] });
    const refused = await json(await withdraw(reader.token));
    expect(refused).toEqual({ status: 403, body: { error: `this API token lacks the "author" scope, which withdrawing proposal ${id} needs (its scopes: read)` } });
    expect(await lastAudit(handle, "runbook.proposal_withdrawn")).toMatchObject({ outcome: "denied" });
    expect((await withdraw((await issueToken(developer, { label: "author", scopes: ["author"] })).token)).status).toBe(200);
  });

  it("a token survives a role change and acts with the new role; deactivation ends it", async () => {
    const developer = await createActor(handle, "developer", "promoted");
    const token = (await issueToken(developer, { label: "ci" })).token;
    expect((await runFailover(token)).status).toBe(403);
    await changeRole(admin, { email: developer.user.email, role: "operator" });
    expect((await runFailover(token)).status).toBe(201);
    await changeRole(admin, { email: developer.user.email, role: "auditor" });
    expect((await runHealth(token)).status).toBe(403);
    expect((await call(runbooksRoute.GET, "GET", token, "/api/v1/runbooks")).status).toBe(200);
    await deactivateUser(admin, { email: developer.user.email });
    expect((await call(runbooksRoute.GET, "GET", token, "/api/v1/runbooks")).status).toBe(401);
  });

  it("records when and from where a token was last used", async () => {
    const developer = await createActor(handle, "developer");
    const created = await issueToken(developer, { label: "laptop" });
    expect((await listTokens(developer))[0]).toMatchObject({ lastUsedAt: null, lastUsedIp: null });
    await authenticateToken(created.token, { ip: "203.0.113.7" });
    const [used] = await listTokens(developer);
    expect(used?.lastUsedIp).toBe("203.0.113.7");
    expect(Date.now() - Date.parse(used?.lastUsedAt ?? "")).toBeLessThan(60_000);
    await authenticateToken(created.token, { ip: "198.51.100.9" });
    expect((await listTokens(developer))[0]?.lastUsedIp).toBe("198.51.100.9");
  });

  it("a service account acts through its tokens, is marked in the audit log, and can never sign in", async () => {
    const account = await createServiceAccount(admin, { name: `ci-${Date.now().toString(36)}`, role: "developer", description: "pipeline" });
    expect(account.email).toMatch(/@service\.invalid$/);
    expect(await lastAudit(handle, "user.created")).toMatchObject({ details: { after: { kind: "service" } } });
    const token = (await issueToken(admin, { label: "deploy", email: account.email })).token;
    const run = await json(await runHealth(token));
    expect(run.status).toBe(201);
    expect(await lastAudit(handle, "run.requested")).toMatchObject({ actorType: "service", actorEmail: account.email });

    expect(await signInWithPassword({ email: account.email, password: "" })).toBeNull();
    expect(await signInWithPassword({ email: account.email, password: "anything at all" })).toBeNull();
    expect(await sessionUser({ userId: account.id })).toBeNull();
    // Only administrators create them.
    const operator = await createActor(handle, "operator");
    expect((await rejection(createServiceAccount(operator, { name: "sneaky", role: "admin" }))).code).toBe("forbidden");
    expect(await rejection(createServiceAccount(admin, { name: "Not A Slug", role: "developer" }))).toMatchObject({ code: "invalid_input", field: "name" });
  });

  it("a revoked token's open stream sends event: error and closes", async () => {
    const developer = await createActor(handle, "developer");
    const created = await issueToken(developer, { label: "tail" });
    const runId = Number((await json(await runHealth(created.token))).body.id);
    const response = await call(streamRoute.GET, "GET", created.token, `/api/v1/runs/${runId}/stream`, { id: String(runId) });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await revokeToken(developer, { id: created.id });
    const decoder = new TextDecoder();
    let text = "";
    const deadline = Date.now() + 10_000;
    for (;;) {
      const chunk = await Promise.race([reader.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stream still open: ${text}`)), deadline - Date.now()))]);
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    expect(text).toMatch(/event: error\ndata: \{"error":"the session or token this stream was opened with is no longer valid"\}/);
  });

  it("queues token.expiring once, a week ahead, to the hooks that want it", async () => {
    const keys = secretKeysFrom({ secretKey: "tokens-test-webhook-key-0123456789" });
    const wanted = await createWebhook(admin, { name: "expiry", url: "https://example.test/expiry", events: ["token.expiring"] }, keys);
    await createWebhook(admin, { name: "runs only", url: "https://example.test/runs", events: ["run.finished"] }, keys);
    const developer = await createActor(handle, "developer");
    const soon = await issueToken(developer, { label: "soon", expiresInDays: 3 });
    const later = await issueToken(developer, { label: "later", expiresInDays: 30 });

    const warned = await queueTokenExpiryWarnings(handle.db, "http://handrail.test");
    expect(warned).toContain(soon.id);
    expect(warned).not.toContain(later.id);
    expect(await queueTokenExpiryWarnings(handle.db, "http://handrail.test")).not.toContain(soon.id);
    const result: unknown = await handle.db.execute(sql`select webhook_id, payload from webhook_deliveries where event = 'token.expiring'`);
    // PGlite answers { rows }, postgres.js an array.
    const deliveries = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ webhook_id: string; payload: { token: { id: string } } }>;
    const forSoon = deliveries.filter((delivery) => delivery.payload.token.id === soon.id);
    expect(forSoon.map((delivery) => delivery.webhook_id)).toEqual([wanted.webhook.id]);
    expect(forSoon[0]?.payload).toMatchObject({
      event: "token.expiring",
      url: "http://handrail.test/tokens",
      token: { label: "soon", scopes: ["read", "run", "author"], user: { email: developer.user.email, serviceAccount: false } },
    });
    expect(JSON.stringify(forSoon[0]?.payload)).not.toContain(soon.token);
    expect(await lastAudit(handle, "token.created")).toMatchObject({ subjectId: later.id, details: { scopes: ["read", "run", "author"] } });
  });
});
