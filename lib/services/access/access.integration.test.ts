import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { checkAccess, userCapabilities } from "./check-access";
import { policies, policyVersions, runbooks, runs } from "../../db/schema";
import { AppError } from "../../errors";
import { asRun, asRunbook, defineAbilityFor } from "../../policy/ability";
import { policyDocumentSchema } from "../../policy/document";
import { createActor, rejection, seedRunbooks, seedScopedPolicies } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { loadActivePolicies } from "../policies/active-policies";
import { savePolicyVersion } from "../policies/save-policy";
import { syncPolicies } from "../policies/sync-policies";
import { getRunbook } from "../runbooks/get-runbook";
import { listRunbooks } from "../runbooks/list-runbooks";
import { getRun } from "../runs/get-run";
import { listRuns } from "../runs/list-runs";
import { requestRun } from "../runs/request-run";
import { visibleRunbooks, visibleRuns } from "./visible";

const runbook = (slug: string, owner: string, risk: string, extra = "") => `
slug: ${slug}
title: ${slug}
owner: ${owner}
risk: ${risk}
tags: [${owner}]
timeout: 10s
${extra}
command: ["/bin/true"]
`;

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
const system = { type: "system" as const, id: "test" };
let developer: Actor;
let payments: Actor;
let operator: Actor;

async function expectError(promise: Promise<unknown>, status: number, message?: string) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(status);
  if (message) expect((error as AppError).message).toBe(message);
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, {
    "a.yaml": runbook("restart-service", "platform", "high", "environment: staging\nparameters:\n  - { name: environment, type: enum, allowed: [dev, staging, production], required: true }").replace(
      'command: ["/bin/true"]',
      'command: ["/bin/echo", "{{environment}}"]',
    ),
    "b.yaml": runbook("pay-refund", "payments", "low"),
    "c.yaml": runbook("pay-ledger", "payments", "high", "environment: production"),
    "d.yaml": runbook("db-failover", "dba", "high", "environment: production"),
  });
  developer = await createActor(handle, "developer");
  payments = await createActor(handle, "developer", "payer");
  payments = { ...payments, user: { ...payments.user, teams: ["payments"] } };
  operator = await createActor(handle, "operator");
  await seedScopedPolicies(handle);
});
afterAll(async () => dispose?.());

describe(`policy enforcement through the services on ${testDriver}`, () => {
  it("conditions a run on the submitted values and names what is allowed", async () => {
    const staging = await requestRun(developer, { slug: "restart-service", params: { environment: "staging" }, reason: "stuck workers", confirm: "restart-service" });
    // Allowed, and high risk: it waits for someone else's approval.
    expect(staging.status).toBe("pending_approval");
    await expectError(
      requestRun(developer, { slug: "restart-service", params: { environment: "production" } }),
      403,
      "no rule lets role developer run runbook restart-service with environment=production (allowed: environment in [dev, staging])",
    );
    const listed = await listRunbooks(developer);
    expect(listed.find((entry) => entry.slug === "restart-service")).toMatchObject({ canRun: true, runConstraints: ["environment in [dev, staging]"] });
  });

  it("filters runbook lists in the query and answers 404 to a runbook the user may not see", async () => {
    expect((await listRunbooks(developer)).map((entry) => entry.slug).sort()).toEqual(["db-failover", "restart-service"]);
    expect((await listRunbooks(payments)).map((entry) => entry.slug).sort()).toEqual(["db-failover", "pay-ledger", "pay-refund", "restart-service"]);
    await expectError(getRunbook(developer, "pay-refund"), 404, 'no runbook "pay-refund"');
    await expectError(requestRun(developer, { slug: "pay-refund", params: {} }), 404);
    expect((await getRunbook(payments, "pay-ledger")).canRun).toBe(true);
  });

  it("the access tools answer for a hidden runbook exactly as for a missing one", async () => {
    const asked = (slug: string) => rejection(checkAccess(operator, { user: operator.user.email, action: "run", runbook: slug }));
    expect(await asked("pay-refund")).toMatchObject({ status: 404, message: 'no runbook "pay-refund"' });
    expect(await asked("no-such-runbook")).toMatchObject({ status: 404, message: 'no runbook "no-such-runbook"' });
    const listed = (await userCapabilities(operator, operator.user.email)).runbooks.map((entry) => entry.slug);
    expect(listed).not.toContain("pay-refund");
    expect(listed).not.toContain("pay-ledger");
    expect((await userCapabilities(payments, payments.user.email)).runbooks.map((entry) => entry.slug)).toContain("pay-refund");
  });

  it("hides other teams' runs from history and from id guessing", async () => {
    const secret = await requestRun(payments, { slug: "pay-refund", params: {} });
    const visibleToDeveloper = await listRuns(developer, { limit: 200 });
    expect(visibleToDeveloper.runs.map((run) => run.id)).not.toContain(secret.id);
    expect((await listRuns(payments, { limit: 200 })).runs.map((run) => run.id)).toContain(secret.id);
    await expectError(getRun(developer, secret.id), 404, `no run ${secret.id}`);
    await expectError(getRun(developer, secret.id + 1000), 404, `no run ${secret.id + 1000}`);
    expect((await getRun(payments, secret.id)).id).toBe(secret.id);
    await expectError(getRun(operator, secret.id), 404);
  });

  it("filters in SQL exactly as the ability decides row by row", async () => {
    const active = await loadActivePolicies(handle.db);
    const users = [developer.user, payments.user, operator.user, { id: "x", role: "auditor" as const, teams: [] }];
    const allRunbooks = await handle.db.select().from(runbooks);
    const allRuns = await handle.db
      .select({ run: runs, owner: runbooks.owner, risk: runbooks.risk, tags: runbooks.tags, environment: runbooks.environment })
      .from(runs)
      .leftJoin(runbooks, eq(runbooks.slug, runs.runbookSlug));
    for (const user of users) {
      const ability = defineAbilityFor(user, active);
      const bySql = (await handle.db.select({ slug: runbooks.slug }).from(runbooks).where(visibleRunbooks(ability))).map((row) => row.slug).sort();
      const byAbility = allRunbooks.filter((row) => ability.can("view", asRunbook(row))).map((row) => row.slug).sort();
      expect(bySql).toEqual(byAbility);
      const runsBySql = (
        await handle.db.select({ id: runs.id }).from(runs).leftJoin(runbooks, eq(runbooks.slug, runs.runbookSlug)).where(visibleRuns(ability))
      ).map((row) => row.id).sort();
      const runsByAbility = allRuns
        .filter((row) =>
          ability.can("view", asRun({ id: row.run.id, runbookSlug: row.run.runbookSlug, requestedBy: row.run.requestedBy, risk: row.risk ?? "high", owner: row.owner ?? "", tags: row.tags ?? [], environment: row.environment })),
        )
        .map((row) => row.run.id)
        .sort();
      expect(runsBySql).toEqual(runsByAbility);
    }
  });
});

describe(`policies as code on ${testDriver}`, () => {
  function policyFile(text: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "handrail-policies-")), "policies.yaml");
    fs.writeFileSync(file, text);
    return file;
  }

  it("versions each change with author and reason, archives what the file dropped, and changes nothing on an error", async () => {
    const one = `policies:
  - name: file-a
    attach: { roles: [developer] }
    rules: [{ action: run, subject: Runbook, conditions: { slug: pay-refund } }]
  - name: file-b
    attach: { roles: [operator] }
    rules: [{ action: view, subject: Policy }]
`;
    expect(await syncPolicies(handle.db, policyFile(one), system, "first import")).toMatchObject({ created: ["file-a", "file-b"] });
    expect(await syncPolicies(handle.db, policyFile(one), system)).toMatchObject({ unchanged: ["file-a", "file-b"] });
    const changed = one.replace("slug: pay-refund", "slug: pay-ledger").replace(/ {2}- name: file-b[\s\S]*$/, "");
    expect(await syncPolicies(handle.db, policyFile(changed), system, "ledger instead")).toMatchObject({ updated: ["file-a"], archived: ["file-b"] });
    const [fileA] = await handle.db.select().from(policies).where(eq(policies.name, "file-a"));
    const versions = await handle.db.select().from(policyVersions).where(eq(policyVersions.policyId, fileA?.id ?? ""));
    expect(versions.map((version) => [version.version, version.reason])).toEqual([
      [1, "first import"],
      [2, "ledger instead"],
    ]);

    const broken = changed.replace("action: run", "action: fly");
    const report = await syncPolicies(handle.db, policyFile(broken), system);
    expect(report.errors[0]).toMatchObject({ where: "policy 1 (file-a), rule 1", field: "action" });
    const [after] = await handle.db.select().from(policies).where(eq(policies.name, "file-a"));
    expect(after?.currentVersion).toBe(2);
  });

  it("refuses an invalid policy with a 400 naming rule and field", async () => {
    const invalid = { name: "bad", attach: { roles: ["developer"] }, rules: [{ action: "run", subject: "Runbook", conditions: { colour: "red" } }] };
    expect(policyDocumentSchema.safeParse(invalid).success).toBe(false);
    const error = await savePolicyVersion(handle.db, { document: invalid as never, reason: "x", source: "ui" }, system).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "invalid_input", field: "rules.0.conditions.colour" });
    expect((error as AppError).message).toContain("rule 1");
  });
});
