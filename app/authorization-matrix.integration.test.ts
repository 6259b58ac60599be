/**
 * Every route handler, server action and page, for every role: found in the syntax tree of app/
 * (lib/testing/entry-points.ts), so an entry point added without expectations here fails this
 * test, and so does an entry whose expectations leave out a role. The session is replaced by a
 * header naming the actor; everything below it (services, policies, database) is real.
 *
 * API routes are also tried with one token persona per scope (the admin's token cut to that one
 * scope): before each admin call, every scope that does not cover the route must be refused
 * (403, or the same 404/409 a thing's state gives first), and for reads each scope must get what
 * the admin gets. Pages and server actions take only browser sessions, never tokens.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/services/actor";
import { tokenScopes, type TokenScope } from "@/lib/policy/scopes";

const session = vi.hoisted(() => ({ actors: new Map<string, Actor>(), current: null as Actor | null }));

vi.mock("@/lib/auth/current-actor", () => ({
  requestActor: async (request: Request) => session.actors.get(request.headers.get("x-test-actor") ?? "") ?? null,
  actorResolver: async (request: Request) => async () => session.actors.get(request.headers.get("x-test-actor") ?? "") ?? null,
  sessionActor: async () => session.current,
  requireActor: async () => {
    if (!session.current) throw new Error("NEXT_REDIRECT:/signin");
    return session.current;
  },
}));
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("@/lib/auth/auth", () => ({
  auth: async () => null,
  signIn: async () => undefined,
  signOut: async () => undefined,
  handlers: { GET: async () => new Response(null, { status: 400 }), POST: async () => new Response(null, { status: 400 }) },
}));

import type { DatabaseHandle } from "@/lib/db";
import { appEntryPoints } from "@/lib/testing/entry-points";
import { createActor, seedRunbooks, seedScopedPolicies } from "@/lib/testing/fixtures";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";

type RolePersona = "anonymous" | "admin" | "operator" | "developer" | "auditor" | "payments";
type ScopePersona = `scope:${TokenScope}`;
type Persona = RolePersona | ScopePersona;
const rolePersonas: RolePersona[] = ["anonymous", "admin", "operator", "developer", "auditor", "payments"];
const scopePersonas: ScopePersona[] = tokenScopes.map((scope) => `scope:${scope}` as const);
const scopeOf = (persona: ScopePersona) => persona.slice("scope:".length) as TokenScope;

const appDir = path.resolve("app");

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
const runIds: Record<string, number> = {};
const scheduleIds: Record<string, number> = {};

type Call = (persona: Persona) => Promise<number | string>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function callRoute(file: string, method: string, persona: Persona, url: string, params: Record<string, string>, body?: unknown): Promise<number> {
  const imported = (await import(file)) as Record<string, Handler>;
  const handler = imported[method];
  if (!handler) throw new Error(`${file} has no ${method}`);
  const request = new Request(`http://localhost${url}`, {
    method,
    headers: { "x-test-actor": persona, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  await response.body?.cancel();
  return response.status;
}

function route(relative: string) {
  return path.join(appDir, relative, "route.ts");
}

/** The entry whose expectations are running, and the personas each entry has been tried as. */
let currentEntry = "";
const triedAs = new Map<string, Set<Persona>>();

/** Expected status per persona for one call. An entry may check several calls, but must try every persona across them. */
function expectStatuses(call: Call, expected: Partial<Record<RolePersona | "lackingScope", unknown>>) {
  return async () => {
    for (const persona of rolePersonas) {
      if (!(persona in expected)) continue;
      if (persona === "admin" && currentEntry in routeScopes) await expectScopes(call, expected.admin, expected.lackingScope);
      session.current = session.actors.get(persona) ?? null;
      const actual = await call(persona);
      expect({ persona, result: actual }).toEqual({ persona, result: expected[persona] });
      markTried(persona);
    }
  };
}

function markTried(persona: Persona) {
  triedAs.set(currentEntry, (triedAs.get(currentEntry) ?? new Set()).add(persona));
}

/**
 * The scope each API route needs. Reads need only `read`, which every token has; a token lacking
 * the scope of a change is refused before its input is looked at.
 */
const routeScopes: Record<string, TokenScope> = {
  "GET /api/v1/health": "read",
  "GET /api/v1/runbooks": "read",
  "GET /api/v1/runbooks/[slug]": "read",
  "POST /api/v1/runbooks/[slug]/runs": "run",
  "POST /api/v1/runs/[id]/approve": "approve",
  "POST /api/v1/runs/[id]/reject": "approve",
  "POST /api/v1/runs/[id]/acknowledge": "approve",
  "GET /api/v1/webhooks": "read",
  "POST /api/v1/webhooks": "admin",
  "GET /api/v1/webhooks/[id]": "read",
  "PUT /api/v1/webhooks/[id]": "admin",
  "DELETE /api/v1/webhooks/[id]": "admin",
  "GET /api/v1/webhooks/[id]/deliveries": "read",
  "POST /api/v1/webhooks/[id]/test": "admin",
  "POST /api/v1/webhooks/[id]/rotate-secret": "admin",
  "POST /api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver": "admin",
  "GET /api/v1/approvals": "read",
  "GET /api/v1/break-glass": "read",
  "GET /api/v1/runs": "read",
  "GET /api/v1/runs/[id]": "read",
  "GET /api/v1/runs/[id]/output": "read",
  "GET /api/v1/runs/[id]/stream": "read",
  "GET /api/v1/runs/[id]/lines": "read",
  "GET /api/v1/runs/[id]/search": "read",
  "POST /api/v1/runs/[id]/cancel": "run",
  "POST /api/v1/runs/[id]/steps/[stepId]/complete": "run",
  "POST /api/v1/runs/[id]/steps/[stepId]/skip": "run",
  "POST /api/v1/runs/[id]/steps/[stepId]/approve": "approve",
  "POST /api/v1/runs/[id]/steps/[stepId]/reject": "approve",
  "POST /api/v1/runs/[id]/resume": "run",
  "POST /api/v1/runs/[id]/notes": "run",
  "GET /api/v1/audit": "read",
  "GET /api/v1/audit/verify": "read",
  "GET /api/v1/access/check": "read",
  "GET /api/v1/runbooks/[slug]/revisions": "read",
  "GET /api/v1/runbooks/[slug]/revisions/compare": "read",
  "POST /api/v1/runbooks/[slug]/revisions/[number]/restore": "author",
  "POST /api/v1/runbooks/[slug]/archive": "author",
  "GET /api/v1/proposals/[id]": "author",
  "POST /api/v1/proposals/[id]/publish": "author",
  "POST /api/v1/proposals/[id]/reject": "author",
  "POST /api/v1/proposals/[id]/withdraw": "author",
  "POST /api/v1/runbooks": "author",
  "PUT /api/v1/runbooks/[slug]": "author",
  "GET /api/v1/proposals": "read",
  "POST /api/v1/proposals": "author",
  "GET /api/v1/schedules": "read",
  "POST /api/v1/schedules": "run",
  "GET /api/v1/schedules/[id]": "read",
  "PATCH /api/v1/schedules/[id]": "run",
  "DELETE /api/v1/schedules/[id]": "run",
  "POST /api/v1/schedules/[id]/pause": "run",
  "POST /api/v1/schedules/[id]/resume": "run",
  "POST /api/v1/schedules/[id]/approve": "approve",
  "GET /api/v1/views": "read",
  "POST /api/v1/views/[slug]/refresh": "run",
};

/**
 * What a token lacking the route's scope gets, given what the admin gets: 403, since the scope is
 * checked with the caller's rights, before the thing's state; but a thing missing for everyone
 * stays 404. A call may say otherwise with `lackingScope`.
 */
const lackingScopeResult = (adminExpected: unknown) => (hiddenWithoutScope.has(currentEntry) || adminExpected === 404 ? 404 : 403);

/** A proposal shows only to those who may review it and to its author: without the author scope it is hidden, as if missing. */
const hiddenWithoutScope = new Set([
  "GET /api/v1/proposals/[id]",
  "POST /api/v1/proposals/[id]/publish",
  "POST /api/v1/proposals/[id]/reject",
  "POST /api/v1/proposals/[id]/withdraw",
]);

async function expectScopes(call: Call, adminExpected: unknown, lackingScope: unknown) {
  const needed = routeScopes[currentEntry] as TokenScope;
  const isRead = currentEntry.startsWith("GET ");
  for (const persona of scopePersonas) {
    const covers = needed === "read" || scopeOf(persona) === needed;
    // A change a scope allows would change what the admin's own call then finds; tokens-api covers those.
    if (covers && !isRead) {
      markTried(persona);
      continue;
    }
    session.current = null;
    const actual = await call(persona);
    const expected = covers ? adminExpected : lackingScope !== undefined ? lackingScope : lackingScopeResult(adminExpected);
    expect({ persona, result: actual }).toEqual({ persona, result: expected });
    markTried(persona);
  }
}

/** A high-risk db-failover run the operator persona requested: waiting for approval, or run at once with break-glass. */
async function matrixPendingRun(extra: Record<string, unknown> = {}): Promise<number> {
  const { requestRun } = await import("@/lib/services/runs/request-run");
  const request = { slug: "db-failover", params: {}, reason: "matrix", confirm: "db-failover", ...extra };
  return (await requestRun(session.actors.get("operator") as Actor, request)).id;
}

/** Who may not decide on the operator persona's run, and what each is told. */
const approvalRefusals = (run: number) => ({
  operator: `you requested run ${run}; someone else must approve or reject run ${run} (four-eyes rule)`,
  developer: `no rule lets role developer approve run ${run}`,
  auditor: `no rule lets role auditor approve run ${run}`,
  payments: `no rule lets role developer approve run ${run}`,
});

/** What each persona is told when acting on a webhook only admins may manage: operators and auditors see it, developers do not. */
const webhookRefusals = (name: string, id: string) => ({
  operator: `no rule lets role operator manage webhook ${name}`,
  auditor: `no rule lets role auditor manage webhook ${name}`,
  developer: `no webhook ${id}`,
  payments: `no webhook ${id}`,
});

const allSignedIn = (status: number | string) => ({ admin: status, operator: status, developer: status, auditor: status, payments: status });

/** Runs a server action as a persona: its return value's error, or "redirect" when it finished by redirecting. */
async function callAction(file: string, name: string, args: unknown[]): Promise<string> {
  const imported = (await import(file)) as Record<string, (...input: unknown[]) => Promise<{ error?: string } | undefined>>;
  try {
    const result = await imported[name]?.(...args);
    return result?.error ?? "ok";
  } catch (error) {
    const message = (error as Error).message ?? "";
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_REDIRECT") || message.startsWith("NEXT_REDIRECT")) return message.includes("/signin") ? "signin" : "redirect";
    throw error;
  }
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

type PageProps = { params: Promise<Record<string, string>>; searchParams: Promise<Record<string, string>> };
type ElementLike = { type?: unknown; props?: { message?: unknown; children?: unknown } };

/** The first `Denied` notice in what a page returned, if any (the tree as returned, before React renders it). */
function deniedMessage(node: unknown): string | undefined {
  if (Array.isArray(node)) return node.map(deniedMessage).find((message) => message !== undefined);
  if (!node || typeof node !== "object") return undefined;
  const element = node as ElementLike;
  if (typeof element.type === "function" && element.type.name === "Denied") return `denied: ${String(element.props?.message)}`;
  return deniedMessage(element.props?.children);
}

/**
 * Renders a page as the current persona: "ok", "denied: <message>" when it shows the Denied
 * notice, "not found", "signin" when it sends the visitor to sign in, or "redirect".
 */
async function callPage(page: string, params: Record<string, string> = {}, searchParams: Record<string, string> = {}): Promise<string> {
  const file = path.join(appDir, page, "page.tsx");
  const imported = (await import(file)) as { default: (props: PageProps) => Promise<unknown> };
  try {
    const tree = await imported.default({ params: Promise.resolve(params), searchParams: Promise.resolve(searchParams) });
    return deniedMessage(tree) ?? "ok";
  } catch (error) {
    const message = (error as Error).message ?? "";
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "not found";
    if (digest.startsWith("NEXT_REDIRECT") || message.startsWith("NEXT_REDIRECT")) return message.includes("/signin") || digest.includes("/signin") ? "signin" : "redirect";
    throw error;
  }
}

/** An open proposal for a new runbook, drafted by the developer persona. */
async function matrixProposal(slug: string): Promise<string> {
  const { proposeRunbook } = await import("@/lib/services/runbooks/proposals/propose-runbook");
  const yaml = `slug: ${slug}\ntitle: Matrix ${slug}\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n`;
  return (await proposeRunbook(session.actors.get("developer") as Actor, { yaml, message: "matrix" })).id;
}

/** A runbook whose first step is a person's. */
const checklistYaml = (slug: string, owner: string) =>
  `slug: ${slug}\ntitle: Checklist\nowner: ${owner}\nrisk: low\ntimeout: 10s\nsteps:\n  - { id: announce, title: Announce, manual: Announce it. }\n  - { id: done, title: Done, command: ["/bin/true"] }\n`;

/** A run of that checklist as its worker leaves it at the manual step (there is no worker here). */
async function waitingChecklist(persona: RolePersona, slug: string): Promise<number> {
  const { requestRun } = await import("@/lib/services/runs/request-run");
  const { sql } = await import("drizzle-orm");
  const id = (await requestRun(session.actors.get(persona) as Actor, { slug, params: {} })).id;
  await handle.db.execute(sql`update runs set status = 'waiting' where id = ${id}`);
  await handle.db.execute(sql`update run_steps set status = 'waiting', started_at = now() where run_id = ${id} and position = 0`);
  return id;
}

/** A low-risk runbook whose one step needs another person's approval. */
const gatedYaml = (slug: string, owner: string) =>
  `slug: ${slug}\ntitle: Gated\nowner: ${owner}\nrisk: low\ntimeout: 10s\nsteps:\n  - { id: promote, title: Promote, command: ["/bin/true"], approval: { required: 1 } }\n`;

/** A run of that runbook as its worker leaves it when the step waits for approval. */
async function waitingForStepApproval(persona: RolePersona, slug: string): Promise<number> {
  const { requestRun } = await import("@/lib/services/runs/request-run");
  const { sql } = await import("drizzle-orm");
  const id = (await requestRun(session.actors.get(persona) as Actor, { slug, params: {} })).id;
  await handle.db.execute(sql`update runs set status = 'waiting' where id = ${id}`);
  await handle.db.execute(sql`update run_steps set status = 'waiting', started_at = now(), approval_expires_at = now() + interval '1 hour' where run_id = ${id} and position = 0`);
  return id;
}

/** A minimal Handrail-authored runbook for the authoring entry points. */
const matrixRunbookYaml = (slug: string, title = "Matrix", owner = "platform") =>
  `slug: ${slug}\ntitle: ${title}\nowner: ${owner}\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n`;

/** An every-runbook webhook created by the admin persona, sealed with a test key (HANDRAIL_SECRET_KEY is unset here). */
async function matrixWebhook(name = "matrix-hook"): Promise<string> {
  const { createWebhook } = await import("@/lib/services/webhooks/create-webhook");
  const { secretKeysFrom } = await import("@/lib/secrets/keyring");
  const keys = secretKeysFrom({ secretKey: "matrix-webhook-key-0123456789" });
  const created = await createWebhook(session.actors.get("admin") as Actor, { name, url: "https://example.test/hook", events: ["run.finished"] }, keys);
  return created.webhook.id;
}

/** A pending `webhook.test` delivery of that webhook, as its id. */
async function matrixDelivery(webhookId: string): Promise<string> {
  const { sendTestEvent } = await import("@/lib/services/webhooks/send-test-event");
  return String((await sendTestEvent(session.actors.get("admin") as Actor, webhookId)).id);
}

/** next-auth's own sign-in endpoints: public by design, throttled and bounded (e2e covers them). */
const publicByDesign = new Set(["GET /api/auth/[...nextauth]", "POST /api/auth/[...nextauth]"]);

const routeExpectations: Record<string, () => Promise<void>> = {
  "GET /api/auth/[...nextauth]": async () => undefined,
  "POST /api/auth/[...nextauth]": async () => undefined,
  "GET /api/v1/health": expectStatuses((p) => callRoute(route("api/v1/health"), "GET", p, "/api/v1/health", {}), { anonymous: 200, ...allSignedIn(200) }),
  "GET /api/v1/runbooks": expectStatuses((p) => callRoute(route("api/v1/runbooks"), "GET", p, "/api/v1/runbooks", {}), { anonymous: 401, ...allSignedIn(200) }),
  "GET /api/v1/runbooks/[slug]": async () => {
    const get = (slug: string): Call => (p) => callRoute(route("api/v1/runbooks/[slug]"), "GET", p, `/api/v1/runbooks/${slug}`, { slug });
    await expectStatuses(get("db-failover"), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get("pay-refund"), { developer: 404, operator: 404, payments: 200 })();
    await expectStatuses(get("no-such-runbook"), { admin: 404, developer: 404 })();
  },
  "POST /api/v1/runbooks/[slug]/runs": async () => {
    const post = (slug: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}): Call => (p) =>
      callRoute(route("api/v1/runbooks/[slug]/runs"), "POST", p, `/api/v1/runbooks/${slug}/runs`, { slug }, { params, ...extra });
    const highRisk = (slug: string) => ({ reason: "matrix", confirm: slug });
    await expectStatuses(post("health", {}), { anonymous: 401, admin: 201, operator: 201, developer: 201, auditor: 403, payments: 201 })();
    await expectStatuses(post("db-failover", {}, highRisk("db-failover")), { admin: 201, operator: 201, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(post("db-failover", {}, { reason: "matrix" }), { admin: 400, operator: 400 })();
    await expectStatuses(post("restart-service", { environment: "staging" }, highRisk("restart-service")), { developer: 201, operator: 201, auditor: 403 })();
    await expectStatuses(post("restart-service", { environment: "production" }, highRisk("restart-service")), { developer: 403, operator: 201, payments: 403 })();
    await expectStatuses(post("restart-service", { environment: "moon" }, highRisk("restart-service")), { developer: 400, operator: 400 })();
    await expectStatuses(post("pay-refund", {}), { developer: 404, auditor: 404, payments: 201 })();
    await expectStatuses(post("health", {}, { risk: "high", reason: "matrix", confirm: "health" }), { developer: 201, operator: 201, auditor: 403 })();
    const breakGlass = { ...highRisk("db-failover"), breakGlass: { justification: "the database is down", incident: "INC-1" } };
    await expectStatuses(post("db-failover", {}, breakGlass), { admin: 201, operator: 201, developer: 403, auditor: 403, payments: 403 })();
  },
  "POST /api/v1/runs/[id]/approve": async () => {
    const approve = (id: number, comment = "looks right"): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/approve"), "POST", p, `/api/v1/runs/${id}/approve`, { id: String(id) }, { comment });
    const id = runIds.operatorPending ?? 0;
    await expectStatuses(approve(id), { anonymous: 401, operator: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(approve(id), { admin: 200 })();
    await expectStatuses(approve(id), { admin: 409, operator: 409, lackingScope: 409 })(); // A run no longer waiting says so to anyone who can see it, before asking who may decide.
    await expectStatuses(approve(999_999), { admin: 404 })();
  },
  "POST /api/v1/runs/[id]/reject": async () => {
    const reject = (id: number, comment: string): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/reject"), "POST", p, `/api/v1/runs/${id}/reject`, { id: String(id) }, { comment });
    const id = runIds.adminPending ?? 0;
    await expectStatuses(reject(id, "not now"), { anonymous: 401, admin: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(reject(id, ""), { operator: 400 })();
    await expectStatuses(reject(id, "not now"), { operator: 200 })();
    await expectStatuses(reject(id, "not now"), { operator: 409 })();
  },
  "POST /api/v1/runs/[id]/steps/[stepId]/complete": async () => {
    const complete = (id: number, stepId: string, body: Record<string, unknown> = { note: "posted" }): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/steps/[stepId]/complete"), "POST", p, `/api/v1/runs/${id}/steps/${stepId}/complete`, { id: String(id), stepId }, body);
    const id = runIds.checklistToComplete ?? 0;
    await expectStatuses(complete(id, "announce"), { anonymous: 401, auditor: 403 })();
    await expectStatuses(complete(id, "nope"), { operator: 404 })();
    await expectStatuses(complete(id, "announce", { note: "posted", value: 1 }), { operator: 400 })();
    await expectStatuses(complete(id, "announce"), { developer: 200 })();
    // A step no longer waiting says so to anyone who may act on it.
    await expectStatuses(complete(id, "announce"), { admin: 409, operator: 409 })();
    // The payments team's checklist is hidden from everyone outside the team, as if it were missing.
    await expectStatuses(complete(runIds.paymentsChecklist ?? 0, "announce"), { developer: 404, payments: 200 })();
  },
  "POST /api/v1/runs/[id]/steps/[stepId]/skip": async () => {
    const skip = (id: number, stepId: string, reason = "not needed in a drill"): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/steps/[stepId]/skip"), "POST", p, `/api/v1/runs/${id}/steps/${stepId}/skip`, { id: String(id), stepId }, { reason });
    const id = runIds.checklistToSkip ?? 0;
    await expectStatuses(skip(id, "announce"), { anonymous: 401, auditor: 403 })();
    await expectStatuses(skip(id, "announce", ""), { operator: 400 })();
    await expectStatuses(skip(id, "announce"), { operator: 200 })();
    await expectStatuses(skip(id, "announce"), { admin: 409, developer: 409 })();
    // Its step was completed above: the team sees why it cannot be skipped, everyone else sees nothing.
    await expectStatuses(skip(runIds.paymentsChecklist ?? 0, "announce"), { admin: 404, developer: 404, payments: 409 })();
  },
  "POST /api/v1/runs/[id]/steps/[stepId]/approve": async () => {
    const approve = (id: number, stepId = "promote"): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/steps/[stepId]/approve"), "POST", p, `/api/v1/runs/${id}/steps/${stepId}/approve`, { id: String(id), stepId }, { comment: "go" });
    const id = runIds.gatedToApprove ?? 0;
    // The requester is refused whatever their role (four-eyes); developers and auditors may not approve at all.
    await expectStatuses(approve(id), { anonymous: 401, operator: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(approve(id, "nope"), { admin: 404 })();
    await expectStatuses(approve(id), { admin: 200 })();
    await expectStatuses(approve(id), { admin: 409, operator: 409, lackingScope: 409 })();
    await expectStatuses(approve(runIds.paymentsGated ?? 0), { admin: 404, operator: 404, developer: 404 })();
  },
  "POST /api/v1/runs/[id]/steps/[stepId]/reject": async () => {
    const reject = (id: number, comment = "not during the freeze"): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/steps/[stepId]/reject"), "POST", p, `/api/v1/runs/${id}/steps/promote/reject`, { id: String(id), stepId: "promote" }, { comment });
    const id = runIds.gatedToReject ?? 0;
    await expectStatuses(reject(id), { anonymous: 401, operator: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(reject(id, ""), { admin: 400 })();
    await expectStatuses(reject(id), { admin: 200 })();
    await expectStatuses(reject(id), { admin: 409, lackingScope: 409 })();
  },
  "POST /api/v1/runs/[id]/resume": async () => {
    const resume = (id: number, body: Record<string, unknown> = {}): Call => (p) => callRoute(route("api/v1/runs/[id]/resume"), "POST", p, `/api/v1/runs/${id}/resume`, { id: String(id) }, body);
    const id = runIds.failedChecklist ?? 0;
    await expectStatuses(resume(id), { anonymous: 401, auditor: 403 })();
    await expectStatuses(resume(id, { fromStep: "nope" }), { operator: 400 })();
    // Each resume is a new attempt, requested as any run is.
    await expectStatuses(resume(id), { developer: 201, operator: 201, payments: 201, admin: 201 })();
    await expectStatuses(resume(runIds.operatorHealth ?? 0), { operator: 409 })();
    await expectStatuses(resume(runIds.paymentsChecklist ?? 0), { admin: 404, developer: 404 })();
  },
  "POST /api/v1/runs/[id]/notes": async () => {
    const note = (id: number, text = "watching"): Call => (p) => callRoute(route("api/v1/runs/[id]/notes"), "POST", p, `/api/v1/runs/${id}/notes`, { id: String(id) }, { text });
    // Anyone who may view a run may note on its timeline; a hidden run is missing to the rest.
    await expectStatuses(note(runIds.operatorHealth ?? 0), { anonymous: 401, admin: 201, operator: 201, developer: 201, auditor: 201, payments: 201 })();
    await expectStatuses(note(runIds.operatorHealth ?? 0, ""), { auditor: 400 })();
    await expectStatuses(note(runIds.paymentsRefund ?? 0), { developer: 404, auditor: 404, payments: 201 })();
  },
  "POST /api/v1/runs/[id]/acknowledge": async () => {
    const acknowledge = (id: number, comment: string): Call => (p) =>
      callRoute(route("api/v1/runs/[id]/acknowledge"), "POST", p, `/api/v1/runs/${id}/acknowledge`, { id: String(id) }, { comment });
    const id = runIds.operatorBreakGlass ?? 0;
    await expectStatuses(acknowledge(id, "checked INC-2"), { anonymous: 401, operator: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(acknowledge(id, ""), { admin: 400 })();
    await expectStatuses(acknowledge(id, "checked INC-2"), { admin: 200 })();
    await expectStatuses(acknowledge(id, "checked INC-2"), { admin: 409, lackingScope: 409 })(); // A run no longer waiting says so to anyone who can see it, before asking who may decide.
    await expectStatuses(acknowledge(runIds.operatorHealth ?? 0, "checked"), { admin: 409, lackingScope: 409 })();
  },
  "GET /api/v1/views": expectStatuses((p) => callRoute(route("api/v1/views"), "GET", p, "/api/v1/views", {}), { anonymous: 401, ...allSignedIn(200) }),
  "POST /api/v1/views/[slug]/refresh": async () => {
    const refresh = (slug: string): Call => (p) => callRoute(route("api/v1/views/[slug]/refresh"), "POST", p, `/api/v1/views/${slug}/refresh`, { slug });
    // Another team's view answers like a missing one; who may not run it is refused before hearing of its runs.
    await expectStatuses(refresh("pay-view"), { anonymous: 401, operator: 404, developer: 404, auditor: 404, payments: 201 })();
    await expectStatuses(refresh("health"), { admin: 404 })();
    await expectStatuses(refresh("health-view"), { auditor: 403, developer: 201 })();
    // Refreshed a moment ago (and still queued): no second run.
    await expectStatuses(refresh("health-view"), { admin: 429, operator: 429, auditor: 403 })();
  },
  "GET /api/v1/schedules": expectStatuses((p) => callRoute(route("api/v1/schedules"), "GET", p, "/api/v1/schedules", {}), { anonymous: 401, ...allSignedIn(200) }),
  "POST /api/v1/schedules": async () => {
    const post = (runbook: string, extra: Record<string, unknown> = {}): Call => (p) =>
      callRoute(route("api/v1/schedules"), "POST", p, "/api/v1/schedules", {}, { runbook, name: `matrix-${runbook}-${p.replace(":", "-")}`, cron: "0 3 * * *", ...extra });
    // A schedule is a standing run request: whoever may run the runbook may schedule it, as themselves.
    await expectStatuses(post("health"), { anonymous: 401, admin: 201, operator: 201, developer: 201, auditor: 403, payments: 201 })();
    // A high-risk schedule is confirmed once, by its creator (then approved by someone else); a developer may not run it at all.
    await expectStatuses(post("db-failover", { reason: "matrix" }), { admin: 400, operator: 400, developer: 403, auditor: 403 })();
    await expectStatuses(post("db-failover", { reason: "matrix", confirm: "db-failover" }), { admin: 201, operator: 201, developer: 403 })();
    await expectStatuses(post("pay-refund"), { operator: 404, developer: 404, payments: 201 })();
    await expectStatuses(post("health", { cron: "61 * * * *" }), { operator: 400 })();
  },
  "GET /api/v1/schedules/[id]": async () => {
    const get = (id: string): Call => (p) => callRoute(route("api/v1/schedules/[id]"), "GET", p, `/api/v1/schedules/${id}`, { id });
    await expectStatuses(get(String(scheduleIds.operatorHealth)), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(String(scheduleIds.payments)), { operator: 404, developer: 404, payments: 200 })();
    await expectStatuses(get("999999"), { admin: 404 })();
    await expectStatuses(get("1;drop"), { admin: 404 })();
  },
  "PATCH /api/v1/schedules/[id]": async () => {
    const patch = (id: number, body: Record<string, unknown>): Call => (p) => callRoute(route("api/v1/schedules/[id]"), "PATCH", p, `/api/v1/schedules/${id}`, { id: String(id) }, body);
    const id = scheduleIds.operatorHealth ?? 0;
    // Only its owner or an admin may change it; others who see it are refused, those who do not see it find nothing.
    await expectStatuses(patch(id, { cron: "0 4 * * *" }), { anonymous: 401, admin: 200, operator: 200, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(patch(id, { cron: "0 25 * * *" }), { operator: 400 })();
    await expectStatuses(patch(scheduleIds.payments ?? 0, { cron: "0 4 * * *" }), { operator: 404, payments: 200 })();
  },
  "DELETE /api/v1/schedules/[id]": async () => {
    const del = (id: number): Call => (p) => callRoute(route("api/v1/schedules/[id]"), "DELETE", p, `/api/v1/schedules/${id}`, { id: String(id) });
    const id = scheduleIds.toDelete ?? 0;
    await expectStatuses(del(id), { anonymous: 401, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(del(id), { operator: 200 })();
    await expectStatuses(del(id), { admin: 404 })();
  },
  "POST /api/v1/schedules/[id]/pause": async () => {
    const pause = (id: number): Call => (p) => callRoute(route("api/v1/schedules/[id]/pause"), "POST", p, `/api/v1/schedules/${id}/pause`, { id: String(id) }, { reason: "matrix" });
    // Pausing tightens: anyone who may run the runbook may pause its schedules.
    await expectStatuses(pause(scheduleIds.toPause ?? 0), { anonymous: 401, auditor: 403, developer: 200, admin: 200, operator: 200, payments: 200 })();
    await expectStatuses(pause(scheduleIds.payments ?? 0), { developer: 404 })();
  },
  "POST /api/v1/schedules/[id]/resume": async () => {
    const resume = (id: number): Call => (p) => callRoute(route("api/v1/schedules/[id]/resume"), "POST", p, `/api/v1/schedules/${id}/resume`, { id: String(id) });
    // Resuming loosens: only its owner or an admin.
    await expectStatuses(resume(scheduleIds.toResume ?? 0), { anonymous: 401, developer: 403, auditor: 403, payments: 403, admin: 200, operator: 200 })();
  },
  "POST /api/v1/schedules/[id]/approve": async () => {
    const approve = (id: number): Call => (p) => callRoute(route("api/v1/schedules/[id]/approve"), "POST", p, `/api/v1/schedules/${id}/approve`, { id: String(id) }, { comment: "ok" });
    const id = scheduleIds.highRisk ?? 0;
    // Four-eyes on the schedule: never its owner; developers and auditors may not approve; the payments team cannot see it.
    await expectStatuses(approve(id), { anonymous: 401, operator: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(approve(id), { admin: 200 })();
    await expectStatuses(approve(id), { admin: 409, lackingScope: 409 })();
    await expectStatuses(approve(scheduleIds.operatorHealth ?? 0), { admin: 409, lackingScope: 409 })(); // needs no approval: said to anyone who can see it
  },
  "GET /api/v1/webhooks": expectStatuses((p) => callRoute(route("api/v1/webhooks"), "GET", p, "/api/v1/webhooks", {}), {
    anonymous: 401, admin: 200, operator: 200, developer: 403, auditor: 200, payments: 403,
  }),
  "POST /api/v1/webhooks": async () => {
    const post = (body: unknown): Call => (p) => callRoute(route("api/v1/webhooks"), "POST", p, "/api/v1/webhooks", {}, body);
    const hook = { name: "matrix-created", url: "https://example.test/hook", events: ["run.finished"] };
    await expectStatuses(post(hook), { anonymous: 401, operator: 403, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(post({ ...hook, owner: "platform" }), { operator: 403 })(); // the matrix operator is in no team
    await expectStatuses(post({ ...hook, url: "ftp://example.test/hook" }), { admin: 400 })();
  },
  "GET /api/v1/webhooks/[id]": async () => {
    const id = await matrixWebhook();
    const get = (hook: string): Call => (p) => callRoute(route("api/v1/webhooks/[id]"), "GET", p, `/api/v1/webhooks/${hook}`, { id: hook });
    await expectStatuses(get(id), { anonymous: 401, admin: 200, operator: 200, developer: 404, auditor: 200, payments: 404 })();
    await expectStatuses(get("00000000-0000-4000-8000-000000000000"), { admin: 404 })();
  },
  "PUT /api/v1/webhooks/[id]": async () => {
    const id = await matrixWebhook();
    const put = (body: unknown): Call => (p) => callRoute(route("api/v1/webhooks/[id]"), "PUT", p, `/api/v1/webhooks/${id}`, { id }, body);
    await expectStatuses(put({ name: "matrix renamed" }), { anonymous: 401, operator: 403, developer: 404, auditor: 403, payments: 404, admin: 200 })();
    await expectStatuses(put({ events: [] }), { admin: 400 })();
  },
  "DELETE /api/v1/webhooks/[id]": async () => {
    const id = await matrixWebhook();
    const del: Call = (p) => callRoute(route("api/v1/webhooks/[id]"), "DELETE", p, `/api/v1/webhooks/${id}`, { id });
    await expectStatuses(del, { anonymous: 401, operator: 403, developer: 404, auditor: 403, payments: 404 })();
    await expectStatuses(del, { admin: 200 })();
    await expectStatuses(del, { admin: 404 })();
  },
  "GET /api/v1/webhooks/[id]/deliveries": async () => {
    const id = await matrixWebhook();
    const get = (query = ""): Call => (p) => callRoute(route("api/v1/webhooks/[id]/deliveries"), "GET", p, `/api/v1/webhooks/${id}/deliveries${query}`, { id });
    await expectStatuses(get(), { anonymous: 401, admin: 200, operator: 200, developer: 404, auditor: 200, payments: 404 })();
    await expectStatuses(get("?limit=0"), { admin: 400, auditor: 400 })();
  },
  "POST /api/v1/webhooks/[id]/test": async () => {
    const id = await matrixWebhook();
    const post: Call = (p) => callRoute(route("api/v1/webhooks/[id]/test"), "POST", p, `/api/v1/webhooks/${id}/test`, { id });
    await expectStatuses(post, { anonymous: 401, operator: 403, developer: 404, auditor: 403, payments: 404, admin: 202 })();
  },
  "POST /api/v1/webhooks/[id]/rotate-secret": async () => {
    const id = await matrixWebhook();
    const post = (hook: string): Call => (p) => callRoute(route("api/v1/webhooks/[id]/rotate-secret"), "POST", p, `/api/v1/webhooks/${hook}/rotate-secret`, { id: hook });
    await expectStatuses(post(id), { anonymous: 401, operator: 403, developer: 404, auditor: 403, payments: 404 })();
    await expectStatuses(post("00000000-0000-4000-8000-000000000000"), { admin: 404 })(); // success depends on HANDRAIL_SECRET_KEY
  },
  "POST /api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver": async () => {
    const id = await matrixWebhook();
    const deliveryId = await matrixDelivery(id);
    const post = (delivery: string): Call => (p) =>
      callRoute(route("api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver"), "POST", p, `/api/v1/webhooks/${id}/deliveries/${delivery}/redeliver`, { id, deliveryId: delivery });
    await expectStatuses(post(deliveryId), { anonymous: 401, operator: 403, developer: 404, auditor: 403, payments: 404, admin: 409 })(); // still pending
    await expectStatuses(post("abc"), { admin: 404 })();
    await expectStatuses(post("999999"), { admin: 404, lackingScope: 403 })(); // who may manage the hook is asked before the delivery is looked up
  },
  "GET /api/v1/approvals": expectStatuses((p) => callRoute(route("api/v1/approvals"), "GET", p, "/api/v1/approvals", {}), { anonymous: 401, ...allSignedIn(200) }),
  "GET /api/v1/break-glass": async () => {
    const get = (query: string): Call => (p) => callRoute(route("api/v1/break-glass"), "GET", p, `/api/v1/break-glass${query}`, {});
    await expectStatuses(get(""), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get("?reviewed=true"), allSignedIn(200))();
    await expectStatuses(get("?reviewed=maybe"), { operator: 400 })();
  },
  "GET /api/v1/runs": expectStatuses((p) => callRoute(route("api/v1/runs"), "GET", p, "/api/v1/runs", {}), { anonymous: 401, ...allSignedIn(200) }),
  "GET /api/v1/runs/[id]": async () => {
    const get = (id: number): Call => (p) => callRoute(route("api/v1/runs/[id]"), "GET", p, `/api/v1/runs/${id}`, { id: String(id) });
    await expectStatuses(get(runIds.operatorHealth ?? 0), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(runIds.paymentsRefund ?? 0), { developer: 404, operator: 404, auditor: 404, payments: 200 })();
    await expectStatuses(get(999_999), { admin: 404, payments: 404 })();
  },
  "GET /api/v1/runs/[id]/output": async () => {
    const get = (id: number, query = ""): Call => (p) => callRoute(route("api/v1/runs/[id]/output"), "GET", p, `/api/v1/runs/${id}/output${query}`, { id: String(id) });
    await expectStatuses(get(runIds.operatorHealth ?? 0), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(runIds.paymentsRefund ?? 0), { developer: 404, auditor: 404, payments: 200 })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, "?download=1"), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, "?download=yes"), { developer: 400 })();
  },
  "GET /api/v1/runs/[id]/stream": async () => {
    const get = (id: number, query = ""): Call => (p) => callRoute(route("api/v1/runs/[id]/stream"), "GET", p, `/api/v1/runs/${id}/stream${query}`, { id: String(id) });
    await expectStatuses(get(runIds.operatorHealth ?? 0), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(runIds.paymentsRefund ?? 0), { developer: 404, auditor: 404, payments: 200 })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, "?tail=200"), { developer: 200, auditor: 200 })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, "?tail=0"), { developer: 400 })();
  },
  "GET /api/v1/runs/[id]/lines": async () => {
    const get = (id: number, query = ""): Call => (p) => callRoute(route("api/v1/runs/[id]/lines"), "GET", p, `/api/v1/runs/${id}/lines${query}`, { id: String(id) });
    await expectStatuses(get(runIds.operatorHealth ?? 0), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(runIds.paymentsRefund ?? 0), { developer: 404, operator: 404, auditor: 404, payments: 200 })();
    await expectStatuses(get(999_999), { admin: 404, payments: 404 })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, "?from=0&limit=5000"), { developer: 400, auditor: 400 })();
  },
  "GET /api/v1/runs/[id]/search": async () => {
    const get = (id: number, query = "?q=health"): Call => (p) => callRoute(route("api/v1/runs/[id]/search"), "GET", p, `/api/v1/runs/${id}/search${query}`, { id: String(id) });
    await expectStatuses(get(runIds.operatorHealth ?? 0), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get(runIds.paymentsRefund ?? 0), { developer: 404, operator: 404, auditor: 404, payments: 200 })();
    await expectStatuses(get(999_999), { admin: 404, payments: 404 })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, ""), { developer: 400, auditor: 400 })();
    await expectStatuses(get(runIds.operatorHealth ?? 0, "?q=x&after=-1"), { developer: 400 })();
  },
  "POST /api/v1/runs/[id]/cancel": async () => {
    const cancel = (id: number): Call => (p) => callRoute(route("api/v1/runs/[id]/cancel"), "POST", p, `/api/v1/runs/${id}/cancel`, { id: String(id) });
    await expectStatuses(cancel(runIds.paymentsRefund ?? 0), { anonymous: 401, developer: 404, auditor: 404 })();
    await expectStatuses(cancel(runIds.operatorHealth ?? 0), { developer: 403, auditor: 403, payments: 403, operator: 200 })();
    await expectStatuses(cancel(runIds.developerHealth ?? 0), { auditor: 403, developer: 200 })();
    // An admin cancels anyone's run it can see; the payments team's runs are hidden from it by the scoped policies.
    const { requestRun } = await import("@/lib/services/runs/request-run");
    const health = (await requestRun(session.actors.get("developer") as Actor, { slug: "health", params: {} })).id;
    await expectStatuses(cancel(health), { admin: 200 })();
    await expectStatuses(cancel(runIds.paymentsRefund ?? 0), { admin: 404 })();
  },
  "GET /api/v1/audit": async () => {
    const get = (query: string): Call => (p) => callRoute(route("api/v1/audit"), "GET", p, `/api/v1/audit${query}`, {});
    const readers = { anonymous: 401, admin: 200, auditor: 200, operator: 403, developer: 403, payments: 403 };
    await expectStatuses(get(""), readers)();
    await expectStatuses(get("?format=jsonl&action=run.requested"), readers)();
    await expectStatuses(get("?format=csv"), readers)();
    await expectStatuses(get("?from=yesterday"), { auditor: 400 })();
  },
  "GET /api/v1/audit/verify": expectStatuses((p) => callRoute(route("api/v1/audit/verify"), "GET", p, "/api/v1/audit/verify", {}), {
    anonymous: 401,
    admin: 200,
    auditor: 200,
    operator: 403,
    developer: 403,
    payments: 403,
  }),
  "GET /api/v1/access/check": async () => {
    const check = (user: string): Call => (p) =>
      callRoute(route("api/v1/access/check"), "GET", p, `/api/v1/access/check?user=${user}&action=run&runbook=db-failover`, {});
    await expectStatuses(check(session.actors.get("operator")?.user.email ?? ""), { anonymous: 401, admin: 200, auditor: 200, operator: 200, developer: 403, payments: 403 })();
    await expectStatuses(check(session.actors.get("developer")?.user.email ?? ""), { developer: 200 })();
  },
  "GET /api/v1/runbooks/[slug]/revisions": async () => {
    const get = (slug: string): Call => (p) => callRoute(route("api/v1/runbooks/[slug]/revisions"), "GET", p, `/api/v1/runbooks/${slug}/revisions`, { slug });
    await expectStatuses(get("health"), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get("pay-refund"), { developer: 404, operator: 404, auditor: 404, payments: 200 })();
    await expectStatuses(get("no-such-runbook"), { admin: 404 })();
  },
  "GET /api/v1/runbooks/[slug]/revisions/compare": async () => {
    const get = (slug: string, query: string): Call => (p) =>
      callRoute(route("api/v1/runbooks/[slug]/revisions/compare"), "GET", p, `/api/v1/runbooks/${slug}/revisions/compare${query}`, { slug });
    await expectStatuses(get("health", "?from=1&to=1"), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get("pay-refund", "?from=1&to=1"), { developer: 404, operator: 404, payments: 200 })();
    await expectStatuses(get("health", "?from=1"), { admin: 400, developer: 400 })();
    await expectStatuses(get("health", "?from=1&to=9"), { admin: 404 })();
  },
  "POST /api/v1/runbooks/[slug]/revisions/[number]/restore": async () => {
    const post = (slug: string, number: string, body: unknown): Call => (p) =>
      callRoute(route("api/v1/runbooks/[slug]/revisions/[number]/restore"), "POST", p, `/api/v1/runbooks/${slug}/revisions/${number}/restore`, { slug, number }, body);
    // The fixture's runbooks are file-managed: editors get 409 (change the file), everyone else 403.
    await expectStatuses(post("health", "1", { message: "matrix" }), { anonymous: 401, admin: 409, operator: 409, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(post("health", "1", {}), { operator: 400 })();
    await expectStatuses(post("health", "x", { message: "matrix" }), { operator: 404 })();
  },
  "POST /api/v1/runbooks/[slug]/archive": async () => {
    const post = (slug: string, body: unknown): Call => (p) => callRoute(route("api/v1/runbooks/[slug]/archive"), "POST", p, `/api/v1/runbooks/${slug}/archive`, { slug }, body);
    await expectStatuses(post("health", { archived: true, reason: "matrix" }), { anonymous: 401, admin: 409, operator: 409, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(post("health", { archived: true }), { operator: 400 })();
    await expectStatuses(post("no-such-runbook", { archived: true, reason: "matrix" }), { admin: 404 })();
  },
  "GET /api/v1/proposals/[id]": async () => {
    const id = await matrixProposal("matrix-read");
    const get = (target: string): Call => (p) => callRoute(route("api/v1/proposals/[id]"), "GET", p, `/api/v1/proposals/${target}`, { id: target });
    await expectStatuses(get(id), { anonymous: 401, admin: 200, operator: 200, developer: 200, auditor: 404, payments: 404 })();
    await expectStatuses(get("no-such-proposal"), { admin: 404 })();
  },
  "POST /api/v1/proposals/[id]/publish": async () => {
    const id = await matrixProposal("matrix-publish");
    const post = (body: unknown): Call => (p) => callRoute(route("api/v1/proposals/[id]/publish"), "POST", p, `/api/v1/proposals/${id}/publish`, { id }, body);
    await expectStatuses(post({}), { anonymous: 401, developer: 403, auditor: 404, payments: 404 })();
    await expectStatuses(post({ comment: 42 }), { operator: 400 })();
    await expectStatuses(post({ comment: "fine" }), { operator: 200 })();
    await expectStatuses(post({}), { admin: 409 })();
  },
  "POST /api/v1/proposals/[id]/reject": async () => {
    const id = await matrixProposal("matrix-reject");
    const post = (body: unknown): Call => (p) => callRoute(route("api/v1/proposals/[id]/reject"), "POST", p, `/api/v1/proposals/${id}/reject`, { id }, body);
    await expectStatuses(post({ comment: "no" }), { anonymous: 401, developer: 403, auditor: 404, payments: 404 })();
    await expectStatuses(post({}), { operator: 400 })();
    await expectStatuses(post({ comment: " " }), { operator: 400 })();
    await expectStatuses(post({ comment: "no" }), { operator: 200 })();
    await expectStatuses(post({ comment: "no" }), { admin: 409 })();
  },
  "POST /api/v1/proposals/[id]/withdraw": async () => {
    const id = await matrixProposal("matrix-withdraw");
    const post: Call = (p) => callRoute(route("api/v1/proposals/[id]/withdraw"), "POST", p, `/api/v1/proposals/${id}/withdraw`, { id });
    await expectStatuses(post, { anonymous: 401, admin: 403, operator: 403, auditor: 404, payments: 404 })();
    await expectStatuses(post, { developer: 200 })();
    await expectStatuses(post, { developer: 409 })();
  },
  "POST /api/v1/runbooks": expectStatuses(
    (p) => callRoute(route("api/v1/runbooks"), "POST", p, "/api/v1/runbooks", {}, { yaml: matrixRunbookYaml(`matrix-new-${p}`), message: "matrix" }),
    { anonymous: 401, admin: 201, operator: 201, developer: 403, auditor: 403, payments: 403 },
  ),
  "PUT /api/v1/runbooks/[slug]": async () => {
    const { saveRunbook } = await import("@/lib/services/runbooks/authoring/save-runbook");
    await saveRunbook(session.actors.get("admin") as Actor, { yaml: matrixRunbookYaml("matrix-put"), message: "matrix" });
    const put = (slug: string): Call => (p) =>
      callRoute(route("api/v1/runbooks/[slug]"), "PUT", p, `/api/v1/runbooks/${slug}`, { slug }, { yaml: matrixRunbookYaml(slug, `Edited by ${p}`), message: "matrix" });
    await expectStatuses(put("matrix-put"), { anonymous: 401, admin: 200, operator: 200, developer: 403, auditor: 403, payments: 403 })();
    await expectStatuses(put("health"), { admin: 409, operator: 409, developer: 403 })(); // file-managed
    // Someone who may edit no runbook is refused before the slug is looked up, missing or not.
    await expectStatuses(put("no-such-runbook"), { admin: 404, developer: 403, lackingScope: 403 })(); // may edit any runbook at all, asked first
  },
  "GET /api/v1/proposals": async () => {
    const get = (query: string): Call => (p) => callRoute(route("api/v1/proposals"), "GET", p, `/api/v1/proposals${query}`, {});
    await expectStatuses(get("?status=open"), { anonymous: 401, ...allSignedIn(200) })();
    await expectStatuses(get("?status=pending"), { operator: 400, developer: 400 })();
  },
  "POST /api/v1/proposals": async () => {
    const post = (body: (p: Persona) => Record<string, string>): Call => (p) => callRoute(route("api/v1/proposals"), "POST", p, "/api/v1/proposals", {}, body(p));
    await expectStatuses(post((p) => ({ yaml: matrixRunbookYaml(`matrix-idea-${p}`), message: "matrix" })), {
      anonymous: 401, admin: 403, operator: 403, developer: 201, auditor: 403, payments: 201,
    })();
    // A change to a runbook the caller cannot see is a 404; pay-refund is file-managed, so its team gets 409.
    await expectStatuses(post(() => ({ yaml: matrixRunbookYaml("pay-refund", "Refund", "payments"), message: "matrix", slug: "pay-refund" })), { developer: 404, payments: 409 })();
  },
};

const actionExpectations: Record<string, () => Promise<void>> = {
  "(app)/admin/users/actions.ts#createUserAction": expectStatuses(
    async () =>
      callAction(path.join(appDir, "(app)/admin/users/actions.ts"), "createUserAction", [
        {},
        form({ email: "matrix-new@example.test", name: "Matrix", role: "developer", password: "long enough" }),
      ]),
    {
      anonymous: "signin",
      admin: "ok",
      operator: "no rule lets role operator manage user matrix-new@example.test",
      developer: "no rule lets role developer manage user matrix-new@example.test",
      auditor: "no rule lets role auditor manage user matrix-new@example.test",
      payments: "no rule lets role developer manage user matrix-new@example.test",
    },
  ),
  "(app)/admin/users/actions.ts#createServiceAccountAction": async () => {
    const create = (name: string) => () =>
      callAction(path.join(appDir, "(app)/admin/users/actions.ts"), "createServiceAccountAction", [{}, form({ name, role: "developer", description: "matrix" })]);
    await expectStatuses(create("matrix-pipeline"), {
      anonymous: "signin",
      operator: "no rule lets role operator manage user matrix-pipeline",
      developer: "no rule lets role developer manage user matrix-pipeline",
      auditor: "no rule lets role auditor manage user matrix-pipeline",
      payments: "no rule lets role developer manage user matrix-pipeline",
      admin: "ok",
    })();
    await expectStatuses(create("Matrix Pipeline"), { admin: "name must be lower-case letters, digits and dashes, such as ci-deploy" })();
    await expectStatuses(create("matrix-pipeline"), { admin: "a service account named matrix-pipeline already exists" })();
  },
  "(app)/admin/users/actions.ts#changeRoleAction": async () => {
    const email = session.actors.get("admin")?.user.email ?? "";
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/users/actions.ts"), "changeRoleAction", [{}, form({ email, role: "developer" })]);
    await expectStatuses(call, {
      anonymous: "signin",
      admin: "you cannot change your own role; ask another administrator",
      operator: `no rule lets role operator manage user ${email}`,
      developer: `no rule lets role developer manage user ${email}`,
      auditor: `no rule lets role auditor manage user ${email}`,
      payments: `no rule lets role developer manage user ${email}`,
    })();
  },
  "(app)/admin/users/actions.ts#setActiveAction": async () => {
    const email = session.actors.get("admin")?.user.email ?? "";
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/users/actions.ts"), "setActiveAction", [{}, form({ email, active: "false" })]);
    await expectStatuses(call, {
      anonymous: "signin",
      admin: "you cannot deactivate yourself; ask another administrator",
      operator: `no rule lets role operator manage user ${email}`,
      developer: `no rule lets role developer manage user ${email}`,
      auditor: `no rule lets role auditor manage user ${email}`,
      payments: `no rule lets role developer manage user ${email}`,
    })();
  },
  "(app)/admin/users/actions.ts#resetPasswordAction": async () => {
    const email = session.actors.get("developer")?.user.email ?? "";
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/users/actions.ts"), "resetPasswordAction", [{}, form({ email, password: "short" })]);
    await expectStatuses(call, {
      anonymous: "signin",
      admin: "password must be at least 8 characters",
      operator: `no rule lets role operator manage user ${email}`,
      developer: `no rule lets role developer manage user ${email}`,
      auditor: `no rule lets role auditor manage user ${email}`,
      payments: `no rule lets role developer manage user ${email}`,
    })();
  },
  "(app)/admin/teams/actions.ts#createTeamAction": expectStatuses(
    async () => callAction(path.join(appDir, "(app)/admin/teams/actions.ts"), "createTeamAction", [{}, form({ name: "matrix-team", description: "" })]),
    {
      anonymous: "signin",
      admin: "ok",
      operator: "no rule lets role operator manage team matrix-team",
      developer: "no rule lets role developer manage team matrix-team",
      auditor: "no rule lets role auditor manage team matrix-team",
      payments: "no rule lets role developer manage team matrix-team",
    },
  ),
  "(app)/admin/teams/actions.ts#addMemberAction": async () => {
    const email = session.actors.get("developer")?.user.email ?? "";
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/teams/actions.ts"), "addMemberAction", [{}, form({ team: "no-such-team", email })]);
    await expectStatuses(call, {
      anonymous: "signin",
      admin: "no team named no-such-team",
      operator: "no rule lets role operator manage team no-such-team",
      developer: "no rule lets role developer manage team no-such-team",
      auditor: "no rule lets role auditor manage team no-such-team",
      payments: "no rule lets role developer manage team no-such-team",
    })();
  },
  "(app)/admin/teams/actions.ts#removeMemberAction": async () => {
    const email = session.actors.get("developer")?.user.email ?? "";
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/teams/actions.ts"), "removeMemberAction", [{}, form({ team: "no-such-team", email })]);
    await expectStatuses(call, {
      anonymous: "signin",
      admin: "no team named no-such-team",
      operator: "no rule lets role operator manage team no-such-team",
      developer: "no rule lets role developer manage team no-such-team",
      auditor: "no rule lets role auditor manage team no-such-team",
      payments: "no rule lets role developer manage team no-such-team",
    })();
  },
  "(app)/dashboard/actions.ts#refreshViewAction": async () => {
    const refresh = (slug: string): Call => () => callAction(path.join(appDir, "(app)/dashboard/actions.ts"), "refreshViewAction", [{}, form({ slug })]);
    await expectStatuses(refresh("pay-view"), { anonymous: "signin", operator: 'no runbook "pay-view"', developer: 'no runbook "pay-view"', auditor: 'no runbook "pay-view"' })();
    // The first refresh runs the view; the others, a moment later, are told it is being refreshed (who may not run it is refused first).
    const busy = expect.stringMatching(/^view "ops-view" is being refreshed now/);
    await expectStatuses(refresh("ops-view"), { admin: "ok", operator: busy, developer: busy, auditor: "no rule lets role auditor run runbook ops-view", payments: busy })();
  },
  "(app)/schedules/actions.ts#createScheduleAction": async () => {
    const create = (runbook: string): Call => (p) =>
      callAction(path.join(appDir, "(app)/schedules/actions.ts"), "createScheduleAction", [{}, form({ runbook, name: `form-${runbook}-${p}`, when: "0 3 * * *", params: "" })]);
    await expectStatuses(create("health"), { anonymous: "signin", admin: "ok", operator: "ok", developer: "ok", auditor: "no rule lets role auditor run runbook health", payments: "ok" })();
    await expectStatuses(create("pay-refund"), { operator: 'no runbook "pay-refund"', payments: "ok" })();
  },
  "(app)/schedules/actions.ts#pauseScheduleAction": async () => {
    const pause = (id: number): Call => () => callAction(path.join(appDir, "(app)/schedules/actions.ts"), "pauseScheduleAction", [{}, form({ id: String(id) })]);
    await expectStatuses(pause(scheduleIds.formPause ?? 0), { anonymous: "signin", auditor: `only someone who may run health, the schedule's owner or an admin may pause schedule ${scheduleIds.formPause}`, developer: "ok", admin: "ok", operator: "ok", payments: "ok" })();
    await expectStatuses(pause(scheduleIds.payments ?? 0), { developer: `no schedule ${scheduleIds.payments}` })();
  },
  "(app)/schedules/actions.ts#resumeScheduleAction": async () => {
    const resume = (id: number): Call => () => callAction(path.join(appDir, "(app)/schedules/actions.ts"), "resumeScheduleAction", [{}, form({ id: String(id) })]);
    const refusal = `only the schedule's owner or an admin may change schedule ${scheduleIds.formResume}`;
    await expectStatuses(resume(scheduleIds.formResume ?? 0), { anonymous: "signin", developer: refusal, auditor: refusal, payments: refusal, admin: "ok", operator: "ok" })();
  },
  "(app)/schedules/actions.ts#updateScheduleAction": async () => {
    const change = (id: number): Call => () =>
      callAction(path.join(appDir, "(app)/schedules/actions.ts"), "updateScheduleAction", [{}, form({ id: String(id), when: "0 4 * * *", timeZone: "UTC", params: "" })]);
    const refusal = `only the schedule's owner or an admin may change schedule ${scheduleIds.formResume}`;
    await expectStatuses(change(scheduleIds.formResume ?? 0), { anonymous: "signin", developer: refusal, auditor: refusal, payments: refusal, admin: "ok", operator: "ok" })();
    await expectStatuses(change(scheduleIds.payments ?? 0), { developer: `no schedule ${scheduleIds.payments}` })();
  },
  "(app)/schedules/actions.ts#approveScheduleAction": async () => {
    const approve = (id: number): Call => () => callAction(path.join(appDir, "(app)/schedules/actions.ts"), "approveScheduleAction", [{}, form({ id: String(id), comment: "" })]);
    const id = scheduleIds.highRiskForm ?? 0;
    await expectStatuses(approve(id), {
      anonymous: "signin",
      operator: `you own or last changed schedule ${id}; someone else must approve it (four-eyes rule)`,
      developer: `no rule lets role developer approve run of db-failover for schedule ${id}`,
      auditor: `no rule lets role auditor approve run of db-failover for schedule ${id}`,
      payments: `no rule lets role developer approve run of db-failover for schedule ${id}`,
    })();
    await expectStatuses(approve(id), { admin: "ok" })();
  },
  "(app)/schedules/actions.ts#deleteScheduleAction": async () => {
    const del = (id: number): Call => () => callAction(path.join(appDir, "(app)/schedules/actions.ts"), "deleteScheduleAction", [{}, form({ id: String(id) })]);
    const refusal = `only the schedule's owner or an admin may change schedule ${scheduleIds.formDelete}`;
    await expectStatuses(del(scheduleIds.formDelete ?? 0), { anonymous: "signin", developer: refusal, auditor: refusal, payments: refusal })();
    await expectStatuses(del(scheduleIds.formDelete ?? 0), { operator: "ok" })();
    await expectStatuses(del(scheduleIds.formDelete ?? 0), { admin: `no schedule ${scheduleIds.formDelete}` })();
  },
  "(app)/tokens/actions.ts#createTokenAction": expectStatuses(
    async () => callAction(path.join(appDir, "(app)/tokens/actions.ts"), "createTokenAction", [{}, form({ label: "matrix" })]),
    { anonymous: "signin", ...allSignedIn("ok") },
  ),
  "(app)/tokens/actions.ts#revokeTokenAction": async () => {
    const { issueToken } = await import("@/lib/services/tokens/issue-token");
    const admin = session.actors.get("admin") as Actor;
    const created = await issueToken(admin, { label: "matrix-victim" });
    const label = `token ${created.token.slice(0, 10)}… of ${admin.user.email}`;
    const call: Call = () => callAction(path.join(appDir, "(app)/tokens/actions.ts"), "revokeTokenAction", [{}, form({ id: created.id })]);
    await expectStatuses(call, {
      anonymous: "signin",
      developer: `no rule lets role developer manage ${label}`,
      operator: `no rule lets role operator manage ${label}`,
      auditor: `no rule lets role auditor manage ${label}`,
      payments: `no rule lets role developer manage ${label}`,
    })();
    await expectStatuses(call, { admin: "ok" })();
    await expectStatuses(call, { admin: expect.stringContaining("was already revoked") })();
  },
  // The sign-in form answers everyone alike; next-auth decides (the e2e tests sign in for real).
  "actions.ts#signInAction": expectStatuses(
    async () => callAction(path.join(appDir, "actions.ts"), "signInAction", [{}, form({ email: "", password: "" })]),
    { anonymous: "Enter your email.", ...allSignedIn("Enter your email.") },
  ),
  // Ends the caller's own session, if any: nothing to authorise.
  "actions.ts#signOutAction": expectStatuses(async () => callAction(path.join(appDir, "actions.ts"), "signOutAction", []), { anonymous: "ok", ...allSignedIn("ok") }),
  "(app)/admin/webhooks/actions.ts#createWebhookAction": async () => {
    const call = (url: string, owner = ""): Call => () =>
      callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "createWebhookAction", [{}, form({ name: "matrix-hook", url, owner, format: "json", events: "run.finished" })]);
    await expectStatuses(call("https://example.test/hook"), {
      anonymous: "signin",
      operator: "no rule lets role operator manage webhook matrix-hook",
      developer: "no rule lets role developer manage webhook matrix-hook",
      auditor: "no rule lets role auditor manage webhook matrix-hook",
      payments: "no rule lets role developer manage webhook matrix-hook",
    })();
    await expectStatuses(call("https://example.test/hook", "platform"), { operator: "no rule lets role operator manage webhook matrix-hook" })();
    await expectStatuses(call("ftp://example.test/hook"), { admin: "url must be an http:// or https:// URL" })();
  },
  "(app)/admin/webhooks/actions.ts#updateWebhookAction": async () => {
    const id = await matrixWebhook("matrix-edit");
    const call: Call = () =>
      callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "updateWebhookAction", [
        {},
        form({ id, name: "matrix-edit", url: "https://example.test/hook", format: "slack", owner: "", events: "run.failed" }),
      ]);
    await expectStatuses(call, { anonymous: "signin", ...webhookRefusals("matrix-edit", id), admin: "ok" })();
  },
  "(app)/admin/webhooks/actions.ts#setWebhookActiveAction": async () => {
    const id = await matrixWebhook("matrix-toggle");
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "setWebhookActiveAction", [{}, form({ id, active: "false" })]);
    await expectStatuses(call, { anonymous: "signin", ...webhookRefusals("matrix-toggle", id), admin: "ok" })();
  },
  "(app)/admin/webhooks/actions.ts#rotateWebhookSecretAction": async () => {
    const id = await matrixWebhook("matrix-rotate");
    const call = (hook: string): Call => () => callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "rotateWebhookSecretAction", [{}, form({ id: hook })]);
    await expectStatuses(call(id), { anonymous: "signin", ...webhookRefusals("matrix-rotate", id) })();
    await expectStatuses(call("00000000-0000-4000-8000-000000000000"), { admin: "no webhook 00000000-0000-4000-8000-000000000000" })();
  },
  "(app)/admin/webhooks/actions.ts#sendTestEventAction": async () => {
    const id = await matrixWebhook("matrix-test");
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "sendTestEventAction", [{}, form({ id })]);
    await expectStatuses(call, { anonymous: "signin", ...webhookRefusals("matrix-test", id), admin: "ok" })();
  },
  "(app)/admin/webhooks/actions.ts#redeliverAction": async () => {
    const id = await matrixWebhook("matrix-redeliver");
    const delivery = await matrixDelivery(id);
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "redeliverAction", [{}, form({ id, delivery })]);
    await expectStatuses(call, { anonymous: "signin", ...webhookRefusals("matrix-redeliver", id), admin: expect.stringContaining(`delivery ${delivery} is already pending`) })();
  },
  "(app)/admin/webhooks/actions.ts#deleteWebhookAction": async () => {
    const id = await matrixWebhook("matrix-delete");
    const call: Call = () => callAction(path.join(appDir, "(app)/admin/webhooks/actions.ts"), "deleteWebhookAction", [{}, form({ id })]);
    await expectStatuses(call, { anonymous: "signin", ...webhookRefusals("matrix-delete", id) })();
    await expectStatuses(call, { admin: "redirect" })();
    await expectStatuses(call, { admin: `no webhook ${id}` })();
  },
  "(app)/runs/[id]/actions.ts#approveRunAction": async () => {
    const run = await matrixPendingRun();
    const call: Call = () => callAction(path.join(appDir, "(app)/runs/[id]/actions.ts"), "approveRunAction", [run, "run", {}, form({ comment: "" })]);
    await expectStatuses(call, { anonymous: "signin", ...approvalRefusals(run) })();
    await expectStatuses(call, { admin: "redirect" })();
    await expectStatuses(call, { admin: `run ${run} is not waiting for approval (it is queued)` })();
  },
  "(app)/runs/[id]/actions.ts#rejectRunAction": async () => {
    const run = await matrixPendingRun();
    const call = (comment: string): Call => () => callAction(path.join(appDir, "(app)/runs/[id]/actions.ts"), "rejectRunAction", [run, "approvals", {}, form({ comment })]);
    await expectStatuses(call("no way"), { anonymous: "signin", ...approvalRefusals(run) })();
    await expectStatuses(call(""), { admin: "say why you reject it (at least 3 characters)" })();
    await expectStatuses(call("no way"), { admin: "redirect" })();
  },
  "(app)/runs/[id]/actions.ts#acknowledgeBreakGlassAction": async () => {
    const run = await matrixPendingRun({ breakGlass: { justification: "matrix emergency, nobody answers", incident: "INC-1" } });
    const call = (comment: string): Call => () =>
      callAction(path.join(appDir, "(app)/runs/[id]/actions.ts"), "acknowledgeBreakGlassAction", [run, "run", {}, form({ comment })]);
    await expectStatuses(call("checked"), { anonymous: "signin", ...approvalRefusals(run), operator: `you broke the glass on run ${run}; someone else must review it` })();
    await expectStatuses(call(""), { admin: "comment must say what you checked (at least 3 characters)" })();
    await expectStatuses(call("checked"), { admin: "redirect" })();
    await expectStatuses(call("checked"), { admin: `run ${run}'s break-glass use was already acknowledged` })();
  },
  "(app)/runbooks/[slug]/actions.ts#requestRunAction": expectStatuses(
    async () => callAction(path.join(appDir, "(app)/runbooks/[slug]/actions.ts"), "requestRunAction", ["db-failover", {}, form({})]),
    {
      anonymous: "signin",
      admin: "a high-risk run needs a reason or a ticket reference (incident or change id)",
      operator: "a high-risk run needs a reason or a ticket reference (incident or change id)",
      developer: "no rule lets role developer run runbook db-failover",
      auditor: "no rule lets role auditor run runbook db-failover",
      payments: "no rule lets role developer run runbook db-failover",
    },
  ),
  "(app)/admin/policies/actions.ts#savePolicyAction": expectStatuses(
    async () =>
      callAction(path.join(appDir, "(app)/admin/policies/actions.ts"), "savePolicyAction", [
        null,
        {},
        form({ yaml: "name: matrix-test\nattach: { roles: [auditor] }\nrules: [{ action: view, subject: Policy }]\n", reason: "matrix" }),
      ]),
    {
      anonymous: "signin",
      developer: "no rule lets role developer manage policies",
      operator: "no rule lets role operator manage policies",
      auditor: "no rule lets role auditor manage policies",
      payments: "no rule lets role developer manage policies",
      admin: "redirect",
    },
  ),
  "(app)/admin/secrets/actions.ts#setSecretAction": expectStatuses(
    async () => callAction(path.join(appDir, "(app)/admin/secrets/actions.ts"), "setSecretAction", [{}, form({ name: "matrix-secret", value: "" })]),
    {
      anonymous: "signin",
      admin: "value is required",
      operator: "no rule lets role operator manage secret matrix-secret",
      developer: "no rule lets role developer manage secret matrix-secret",
      auditor: "no rule lets role auditor manage secret matrix-secret",
      payments: "no rule lets role developer manage secret matrix-secret",
    },
  ),
  "(app)/admin/secrets/actions.ts#deleteSecretAction": expectStatuses(
    async () => callAction(path.join(appDir, "(app)/admin/secrets/actions.ts"), "deleteSecretAction", [{}, form({ name: "no-such-secret" })]),
    {
      anonymous: "signin",
      admin: "no secret named no-such-secret",
      operator: "no rule lets role operator manage secret no-such-secret",
      developer: "no rule lets role developer manage secret no-such-secret",
      auditor: "no rule lets role auditor manage secret no-such-secret",
      payments: "no rule lets role developer manage secret no-such-secret",
    },
  ),
  "(app)/runbooks/[slug]/actions.ts#setArchivedAction": async () => {
    const call = (reason: string): Call => async () =>
      callAction(path.join(appDir, "(app)/runbooks/[slug]/actions.ts"), "setArchivedAction", ["health", true, {}, form({ reason })]);
    await expectStatuses(call("matrix"), {
      anonymous: "signin",
      admin: expect.stringContaining('runbook "health" is managed by the file'),
      operator: expect.stringContaining('runbook "health" is managed by the file'),
      developer: "no rule lets role developer edit runbook health",
      auditor: "no rule lets role auditor edit runbook health",
      payments: "no rule lets role developer edit runbook health",
    })();
  },
  "(app)/runbooks/[slug]/history/actions.ts#restoreRevisionAction": expectStatuses(
    async () => callAction(path.join(appDir, "(app)/runbooks/[slug]/history/actions.ts"), "restoreRevisionAction", ["health", 1, {}, form({ message: "matrix" })]),
    {
      anonymous: "signin",
      admin: expect.stringContaining('runbook "health" is managed by the file'),
      operator: expect.stringContaining('runbook "health" is managed by the file'),
      developer: "no rule lets role developer edit runbook health",
      auditor: "no rule lets role auditor edit runbook health",
      payments: "no rule lets role developer edit runbook health",
    },
  ),
  "(app)/proposals/[id]/actions.ts#publishProposalAction": async () => {
    const id = await matrixProposal("matrix-publish-action");
    const call: Call = async () => callAction(path.join(appDir, "(app)/proposals/[id]/actions.ts"), "publishProposalAction", [id, {}, form({ comment: "" })]);
    await expectStatuses(call, {
      anonymous: "signin",
      developer: "no rule lets role developer edit runbook matrix-publish-action",
      auditor: `no proposal ${id}`,
      payments: `no proposal ${id}`,
    })();
    await expectStatuses(call, { operator: "redirect" })();
    await expectStatuses(call, { admin: `proposal ${id} is already published` })();
  },
  "(app)/proposals/[id]/actions.ts#rejectProposalAction": async () => {
    const id = await matrixProposal("matrix-reject-action");
    const call = (comment: string): Call => async () => callAction(path.join(appDir, "(app)/proposals/[id]/actions.ts"), "rejectProposalAction", [id, {}, form({ comment })]);
    await expectStatuses(call("no"), {
      anonymous: "signin",
      developer: "no rule lets role developer edit runbook matrix-reject-action",
      auditor: `no proposal ${id}`,
      payments: `no proposal ${id}`,
    })();
    await expectStatuses(call(""), { operator: "comment is required: tell the author why" })();
    await expectStatuses(call("no"), { operator: "redirect" })();
    await expectStatuses(call("no"), { admin: `proposal ${id} is already rejected` })();
  },
  "(app)/proposals/[id]/actions.ts#withdrawProposalAction": async () => {
    const id = await matrixProposal("matrix-withdraw-action");
    const call: Call = async () => callAction(path.join(appDir, "(app)/proposals/[id]/actions.ts"), "withdrawProposalAction", [id, {}, form({})]);
    await expectStatuses(call, {
      anonymous: "signin",
      admin: `only the author can withdraw proposal ${id}`,
      operator: `only the author can withdraw proposal ${id}`,
      auditor: `no proposal ${id}`,
      payments: `no proposal ${id}`,
      developer: "redirect",
    })();
  },
  "(app)/runbooks/_editor/actions.ts#saveRunbookAction": async () => {
    const file = path.join(appDir, "(app)/runbooks/_editor/actions.ts");
    await expectStatuses((p) => callAction(file, "saveRunbookAction", [null, {}, form({ yaml: matrixRunbookYaml(`matrix-ui-${p}`), message: "matrix" })]), {
      anonymous: "signin",
      admin: "redirect",
      operator: "redirect",
      developer: "no rule lets role developer edit runbooks",
      auditor: "no rule lets role auditor edit runbooks",
      payments: "no rule lets role developer edit runbooks",
    })();
    const editHealth: Call = () => callAction(file, "saveRunbookAction", [{ slug: "health", baseRevision: 1 }, {}, form({ yaml: matrixRunbookYaml("health"), message: "matrix" })]);
    await expectStatuses(editHealth, {
      operator: expect.stringContaining('runbook "health" is managed by the file'),
      developer: "no rule lets role developer edit runbooks",
      auditor: "no rule lets role auditor edit runbooks",
    })();
  },
  "(app)/runbooks/_editor/actions.ts#proposeRunbookAction": expectStatuses(
    (p) => callAction(path.join(appDir, "(app)/runbooks/_editor/actions.ts"), "proposeRunbookAction", [null, {}, form({ yaml: matrixRunbookYaml(`matrix-draft-${p}`), message: "matrix" })]),
    {
      anonymous: "signin",
      admin: "no rule lets role admin propose runbooks",
      operator: "no rule lets role operator propose runbooks",
      developer: "redirect",
      auditor: "no rule lets role auditor propose runbooks",
      payments: "redirect",
    },
  ),
};

/** The current version hash of a runbook, for its version page. */
async function versionHashOf(slug: string): Promise<string> {
  const { runbooks } = await import("@/lib/db/schema");
  const { eq } = await import("drizzle-orm");
  const [row] = await handle.db.select({ hash: runbooks.currentVersionHash }).from(runbooks).where(eq(runbooks.slug, slug));
  return row?.hash ?? "";
}

const signedInOk = { anonymous: "signin", ...allSignedIn("ok") };
/** A page about something only the payments team may see: to everyone else it is exactly a missing one. */
const onlyPayments = { anonymous: "signin", admin: "not found", operator: "not found", developer: "not found", auditor: "not found", payments: "ok" };
const missingForAll = { anonymous: "signin", ...allSignedIn("not found") };

/** Every runbook page, for a visible runbook, a hidden one and a missing one. */
function runbookPage(page: string, visible: Partial<Record<Persona, unknown>>, params: (slug: string) => Promise<Record<string, string>> = async (slug) => ({ slug })) {
  return async () => {
    await expectStatuses(async () => callPage(page, await params("health")), visible)();
    await expectStatuses(async () => callPage(page, await params("pay-refund")), onlyPayments)();
    await expectStatuses(async () => callPage(page, await params("no-such-runbook")), missingForAll)();
  };
}

const pageExpectations: Record<string, () => Promise<void>> = {
  "/": expectStatuses(() => callPage(""), { anonymous: "redirect", ...allSignedIn("redirect") }),
  // Someone already signed in is sent on into the app.
  "/signin": expectStatuses(() => callPage("signin"), { anonymous: "ok", ...allSignedIn("redirect") }),
  "/(app)/access": expectStatuses(() => callPage("(app)/access"), signedInOk),
  "/(app)/approvals": expectStatuses(() => callPage("(app)/approvals"), signedInOk),
  "/(app)/runbooks": expectStatuses(() => callPage("(app)/runbooks"), signedInOk),
  "/(app)/runs": expectStatuses(() => callPage("(app)/runs"), signedInOk),
  "/(app)/tokens": expectStatuses(() => callPage("(app)/tokens"), signedInOk),
  "/(app)/schedules": expectStatuses(() => callPage("(app)/schedules"), signedInOk),
  "/(app)/dashboard": expectStatuses(() => callPage("(app)/dashboard"), signedInOk),
  "/(app)/proposals": expectStatuses(() => callPage("(app)/proposals"), signedInOk),
  "/(app)/runbooks/new": expectStatuses(() => callPage("(app)/runbooks/new"), {
    ...signedInOk,
    auditor: "denied: no rule lets role auditor create or propose runbooks",
  }),
  "/(app)/audit": expectStatuses(() => callPage("(app)/audit"), {
    anonymous: "signin",
    admin: "ok",
    auditor: "ok",
    operator: "denied: no rule lets role operator view audit events",
    developer: "denied: no rule lets role developer view audit events",
    payments: "denied: no rule lets role developer view audit events",
  }),
  "/(app)/admin/policies": expectStatuses(() => callPage("(app)/admin/policies"), {
    anonymous: "signin",
    admin: "ok",
    auditor: "ok",
    operator: "denied: no rule lets role operator view policies",
    developer: "denied: no rule lets role developer view policies",
    payments: "denied: no rule lets role developer view policies",
  }),
  // The editor shows for everyone (disabled, with its reason, for those who may not save); saving is the action's check.
  "/(app)/admin/policies/new": expectStatuses(() => callPage("(app)/admin/policies/new"), signedInOk),
  "/(app)/admin/policies/[name]": async () => {
    const policy = (name: string) => () => callPage("(app)/admin/policies/[name]", { name });
    await expectStatuses(policy("default-everyone"), {
      anonymous: "signin",
      admin: "ok",
      auditor: "ok",
      operator: "denied: no rule lets role operator view policy default-everyone",
      developer: "denied: no rule lets role developer view policy default-everyone",
      payments: "denied: no rule lets role developer view policy default-everyone",
    })();
    await expectStatuses(policy("no-such-policy"), { admin: "not found", auditor: "not found" })();
  },
  "/(app)/admin/secrets": expectStatuses(() => callPage("(app)/admin/secrets"), {
    anonymous: "signin",
    admin: "ok",
    operator: "ok",
    auditor: "ok",
    developer: "denied: no rule lets role developer view secrets",
    payments: "denied: no rule lets role developer view secrets",
  }),
  "/(app)/admin/teams": expectStatuses(() => callPage("(app)/admin/teams"), {
    anonymous: "signin",
    admin: "ok",
    operator: "denied: no rule lets role operator manage teams",
    developer: "denied: no rule lets role developer manage teams",
    auditor: "denied: no rule lets role auditor manage teams",
    payments: "denied: no rule lets role developer manage teams",
  }),
  "/(app)/admin/users": expectStatuses(() => callPage("(app)/admin/users"), {
    anonymous: "signin",
    admin: "ok",
    operator: "denied: no rule lets role operator manage users",
    developer: "denied: no rule lets role developer manage users",
    auditor: "denied: no rule lets role auditor manage users",
    payments: "denied: no rule lets role developer manage users",
  }),
  "/(app)/admin/webhooks": expectStatuses(() => callPage("(app)/admin/webhooks"), {
    anonymous: "signin",
    admin: "ok",
    operator: "ok",
    auditor: "ok",
    developer: "denied: no rule lets role developer view webhooks",
    payments: "denied: no rule lets role developer view webhooks",
  }),
  "/(app)/admin/webhooks/[id]": async () => {
    const id = await matrixWebhook("matrix-page-hook");
    await expectStatuses(() => callPage("(app)/admin/webhooks/[id]", { id }), {
      anonymous: "signin",
      admin: "ok",
      operator: "ok",
      auditor: "ok",
      developer: "not found",
      payments: "not found",
    })();
    await expectStatuses(() => callPage("(app)/admin/webhooks/[id]", { id: "00000000-0000-0000-0000-000000000000" }), missingForAll)();
  },
  "/(app)/runs/[id]": async () => {
    const run = (id: number) => () => callPage("(app)/runs/[id]", { id: String(id) });
    await expectStatuses(run(runIds.operatorHealth ?? 0), signedInOk)();
    await expectStatuses(run(runIds.paymentsRefund ?? 0), onlyPayments)();
    await expectStatuses(run(999_999), missingForAll)();
  },
  "/(app)/proposals/[id]": async () => {
    const proposal = (id: string) => () => callPage("(app)/proposals/[id]", { id });
    const drafted = await matrixProposal("matrix-page-proposal");
    await expectStatuses(proposal(drafted), { anonymous: "signin", admin: "ok", operator: "ok", developer: "ok", auditor: "not found", payments: "not found" })();
    // A runbook only the payments team would see: its proposal is hidden from every editor outside the team.
    const { proposeRunbook } = await import("@/lib/services/runbooks/proposals/propose-runbook");
    const hidden = (await proposeRunbook(session.actors.get("payments") as Actor, { yaml: matrixRunbookYaml("pay-chargeback", "Chargeback", "payments"), message: "matrix" })).id;
    await expectStatuses(proposal(hidden), onlyPayments)();
    await expectStatuses(proposal("00000000-0000-0000-0000-000000000000"), missingForAll)();
  },
  "/(app)/runbooks/[slug]": runbookPage("(app)/runbooks/[slug]", signedInOk),
  "/(app)/runbooks/[slug]/history": runbookPage("(app)/runbooks/[slug]/history", signedInOk),
  "/(app)/runbooks/[slug]/diff": runbookPage("(app)/runbooks/[slug]/diff", signedInOk),
  "/(app)/runbooks/[slug]/edit": runbookPage("(app)/runbooks/[slug]/edit", signedInOk),
  "/(app)/runbooks/[slug]/propose": runbookPage("(app)/runbooks/[slug]/propose", signedInOk),
  "/(app)/runbooks/[slug]/versions/[hash]": runbookPage("(app)/runbooks/[slug]/versions/[hash]", signedInOk, async (slug) => ({ slug, hash: (await versionHashOf(slug)) || "0".repeat(64) })),
};

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, {
    "health.yaml": "slug: health\ntitle: Health\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/true\"]\n",
    "db.yaml": "slug: db-failover\ntitle: DB failover\nowner: dba\nrisk: high\ntimeout: 10s\ncommand: [\"/bin/true\"]\n",
    "restart.yaml":
      "slug: restart-service\ntitle: Restart\nowner: platform\nrisk: high\ntimeout: 10s\nparameters:\n  - { name: environment, type: enum, allowed: [dev, staging, production], required: true }\ncommand: [\"/bin/echo\", \"{{environment}}\"]\n",
    "refund.yaml": "slug: pay-refund\ntitle: Refund\nowner: payments\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/true\"]\n",
    "approve-me.yaml": "slug: approve-me\ntitle: Needs approval\nowner: platform\nrisk: high\ntimeout: 10s\ncommand: [\"/bin/true\"]\n",
    "checklist.yaml": checklistYaml("checklist", "platform"),
    "pay-checklist.yaml": checklistYaml("pay-checklist", "payments"),
    "health-view.yaml": "slug: health-view\ntitle: Health view\nowner: platform\nrisk: low\ntimeout: 10s\nview: true\ncommand: [\"/bin/echo\", \"{}\"]\n",
    "ops-view.yaml": "slug: ops-view\ntitle: Ops view\nowner: platform\nrisk: low\ntimeout: 10s\nview: true\ncommand: [\"/bin/echo\", \"{}\"]\n",
    "pay-view.yaml": "slug: pay-view\ntitle: Payments view\nowner: payments\nrisk: low\ntimeout: 10s\nview: true\ncommand: [\"/bin/echo\", \"{}\"]\n",
    "gated.yaml": gatedYaml("gated", "platform"),
    "pay-gated.yaml": gatedYaml("pay-gated", "payments"),
  });
  for (const persona of rolePersonas) {
    if (persona === "anonymous") continue;
    const actor = await createActor(handle, persona === "payments" ? "developer" : persona, persona);
    session.actors.set(persona, persona === "payments" ? { ...actor, user: { ...actor.user, teams: ["payments"] } } : actor);
  }
  const admin = session.actors.get("admin") as Actor;
  for (const persona of scopePersonas) session.actors.set(persona, { ...admin, tokenId: `matrix-${persona}`, scopes: [scopeOf(persona)] });
  await seedScopedPolicies(handle);
  const { requestRun } = await import("@/lib/services/runs/request-run");
  runIds.operatorHealth = (await requestRun(session.actors.get("operator") as Actor, { slug: "health", params: {} })).id;
  runIds.developerHealth = (await requestRun(session.actors.get("developer") as Actor, { slug: "health", params: {} })).id;
  runIds.paymentsRefund = (await requestRun(session.actors.get("payments") as Actor, { slug: "pay-refund", params: {} })).id;
  const highRisk = { slug: "approve-me", params: {}, reason: "matrix", confirm: "approve-me" };
  runIds.operatorPending = (await requestRun(session.actors.get("operator") as Actor, highRisk)).id;
  runIds.adminPending = (await requestRun(session.actors.get("admin") as Actor, highRisk)).id;
  const breakGlass = { justification: "production is down", incident: "INC-2" };
  runIds.operatorBreakGlass = (await requestRun(session.actors.get("operator") as Actor, { ...highRisk, breakGlass })).id;
  runIds.checklistToComplete = await waitingChecklist("operator", "checklist");
  runIds.checklistToSkip = await waitingChecklist("operator", "checklist");
  runIds.paymentsChecklist = await waitingChecklist("payments", "pay-checklist");
  runIds.failedChecklist = await waitingChecklist("operator", "checklist");
  runIds.gatedToApprove = await waitingForStepApproval("operator", "gated");
  runIds.gatedToReject = await waitingForStepApproval("operator", "gated");
  runIds.paymentsGated = await waitingForStepApproval("payments", "pay-gated");
  const { sql } = await import("drizzle-orm");
  await handle.db.execute(sql`update runs set status = 'failed', finished_at = now() where id = ${runIds.failedChecklist}`);
  await handle.db.execute(sql`update run_steps set status = 'failed' where run_id = ${runIds.failedChecklist} and position = 0`);
  const { createSchedule } = await import("@/lib/services/schedules/create-schedule");
  const { pauseSchedule } = await import("@/lib/services/schedules/change-schedule");
  const schedule = async (persona: RolePersona, runbook: string, name: string) => (await createSchedule(session.actors.get(persona) as Actor, { runbook, name, cron: "0 3 * * *" })).id;
  scheduleIds.operatorHealth = await schedule("operator", "health", "matrix-nightly");
  scheduleIds.toDelete = await schedule("operator", "health", "matrix-to-delete");
  scheduleIds.toPause = await schedule("operator", "health", "matrix-to-pause");
  scheduleIds.toResume = await schedule("operator", "health", "matrix-to-resume");
  await pauseSchedule(session.actors.get("operator") as Actor, String(scheduleIds.toResume), {});
  scheduleIds.payments = await schedule("payments", "pay-refund", "matrix-pay");
  scheduleIds.formPause = await schedule("operator", "health", "matrix-form-pause");
  scheduleIds.formResume = await schedule("operator", "health", "matrix-form-resume");
  await pauseSchedule(session.actors.get("operator") as Actor, String(scheduleIds.formResume), {});
  scheduleIds.formDelete = await schedule("operator", "health", "matrix-form-delete");
  const highRiskSchedule = async (name: string) =>
    (await createSchedule(session.actors.get("operator") as Actor, { runbook: "db-failover", name, cron: "0 3 * * *", reason: "matrix", confirm: "db-failover" })).id;
  scheduleIds.highRisk = await highRiskSchedule("matrix-high");
  scheduleIds.highRiskForm = await highRiskSchedule("matrix-high-form");
});
afterAll(async () => dispose?.());

describe(`authorization matrix on ${testDriver}`, () => {
  it("has expectations for every route handler, server action and page in app/", () => {
    const found = appEntryPoints(appDir);
    expect(found.routes.length).toBeGreaterThan(8);
    expect(found.routes.filter((key) => !(key in routeExpectations))).toEqual([]);
    expect(found.actions.filter((key) => !(key in actionExpectations))).toEqual([]);
    expect(Object.keys(routeExpectations).filter((key) => !found.routes.includes(key))).toEqual([]);
    expect(Object.keys(actionExpectations).filter((key) => !found.actions.includes(key))).toEqual([]);
    expect(found.pages.filter((key) => !(key in pageExpectations))).toEqual([]);
    expect(Object.keys(pageExpectations).filter((key) => !found.pages.includes(key))).toEqual([]);
  });

  const entries = { ...routeExpectations, ...actionExpectations, ...pageExpectations };
  const kindOf = (key: string) => (key in routeExpectations ? "route" : key in actionExpectations ? "action" : "page");
  for (const [key, check] of Object.entries(entries)) {
    it(`${kindOf(key)} ${key}`, async () => {
      currentEntry = key;
      await check();
    });
  }

  // Runs last (tests in a file run in order): an entry that never tried a role proves nothing about it.
  it("tried every entry as every persona, and every API route with a token of each scope", () => {
    const personasOf = (key: string): Persona[] => (key in routeExpectations ? [...rolePersonas, ...scopePersonas] : rolePersonas);
    const missing = Object.keys(entries)
      .filter((key) => !publicByDesign.has(key))
      .flatMap((key) => personasOf(key).filter((persona) => !triedAs.get(key)?.has(persona)).map((persona) => `${key} as ${persona}`));
    expect(missing).toEqual([]);
    expect(Object.keys(routeExpectations).filter((key) => !publicByDesign.has(key) && !(key in routeScopes))).toEqual([]);
  });
});
