import { desc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "../db";
import { auditEvents, type Role } from "../db/schema";
import { AppError } from "../errors";
import type { Actor } from "../services/actor";
import { syncRunbooks } from "../services/runbooks/sync-runbooks";
import { getRun } from "../services/runs/get-run";
import { followRunOutput } from "../services/runs/read-output";
import { addUser } from "../services/users/add-user";
import type { PolicyDocumentInput } from "../policy/document";
import { savePolicyVersion } from "../services/policies/save-policy";
import { writeRunbookDir } from "./test-database";

export async function createActor(handle: DatabaseHandle, role: Role, name: string = role): Promise<Actor> {
  const email = `${name}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const user = await addUser(handle.db, { email, name, role, password: "correct horse battery" }, { type: "system", id: "test" });
  return { user: { ...user, teams: [] }, via: "api" };
}

export async function seedRunbooks(handle: DatabaseHandle, files: Record<string, string>): Promise<string> {
  const dir = writeRunbookDir(files);
  const report = await syncRunbooks(handle, dir, { type: "system", id: "test" });
  if (report.errors.length > 0) throw new Error(`fixture runbooks invalid: ${JSON.stringify(report.errors)}`);
  return dir;
}

/** Polls until check() returns a value, for waiting on a background worker. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A scoped policy set used by the enforcement tests: runbooks and runs owned by team payments are
 * visible (and runnable) only by its members; developers may run restart-service only in dev or
 * staging. Everything else keeps the shipped defaults.
 */
export async function seedScopedPolicies(handle: DatabaseHandle): Promise<void> {
  const save = (document: PolicyDocumentInput) =>
    savePolicyVersion(handle.db, { document, reason: "test fixture", source: "ui" }, { type: "system", id: "test" });
  await saveEveryonePolicy(handle, ["view", "read-output"]);
  await save({
    name: "payments-team",
    attach: { teams: ["payments"] },
    rules: [
      { action: "view", subject: "Runbook", conditions: { owner: { $in: "$user.teams" } } },
      { action: ["view", "read-output"], subject: "Run", conditions: { owner: { $in: "$user.teams" } } },
      { action: "run", subject: "Runbook", conditions: { owner: { $in: "$user.teams" } } },
    ],
  });
  await save({
    name: "restart-outside-production",
    attach: { roles: ["developer"] },
    rules: [{ action: "run", subject: "Runbook", conditions: { slug: "restart-service" }, params: { environment: { $in: ["dev", "staging"] } } }],
  });
}

/**
 * The policy every role has, replaced: payments runbooks and their runs hidden, `runActions` on
 * every other run, tokens managed by their owners.
 */
export async function saveEveryonePolicy(handle: DatabaseHandle, runActions: Array<"view" | "read-output">): Promise<void> {
  await savePolicyVersion(
    handle.db,
    {
      document: {
        name: "default-everyone",
        attach: { roles: ["admin", "operator", "auditor", "developer"] },
        rules: [
          { action: "view", subject: "Runbook", conditions: { owner: { $nin: ["payments"] } } },
          { action: runActions, subject: "Run", conditions: { owner: { $nin: ["payments"] } } },
          { action: ["view", "manage"], subject: "Token", conditions: { userId: "$user.id" } },
        ],
      },
      reason: "test fixture",
      source: "ui",
    },
    { type: "system", id: "test" },
  );
}

/** The AppError a service call was refused with; fails the test if it resolved or threw something else. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${error === null ? "success" : String(error)}`);
  return error;
}

/** The newest audit event with this action. */
export async function lastAudit(handle: DatabaseHandle, action: string) {
  const [event] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.id)).limit(1);
  return event;
}

/** Waits for a run to leave queued/running and returns it as the actor sees it. */
export async function waitForRunEnd(actor: Actor, runId: number, timeoutMs = 30_000) {
  return eventually(async () => {
    const run = await getRun(actor, runId);
    return ["queued", "running"].includes(run.status) ? undefined : run;
  }, timeoutMs);
}

/** Every stored output line of a run (up to 100,000), oldest first. */
export async function runOutputLines(actor: Actor, runId: number) {
  const follower = await followRunOutput(actor, runId);
  try {
    return await follower.read(0, 100_000);
  } finally {
    follower.close();
  }
}

/** A save or restore that was applied, not held for review; fails the test otherwise. */
export function applied<T extends object>(result: T): Exclude<T, { status: "pending_review" }> {
  const held = result as { status?: string; loosens?: string[] };
  if (held.status === "pending_review") throw new Error(`held for review: ${(held.loosens ?? []).join("; ")}`);
  return result as Exclude<T, { status: "pending_review" }>;
}
