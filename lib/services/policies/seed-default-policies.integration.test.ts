import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { policies } from "../../db/schema";
import { defaultPolicyDocuments } from "../../policy/default-policies";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { savePolicyVersion } from "./save-policy";
import { seedDefaultPolicies } from "./seed-default-policies";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
});
afterAll(async () => dispose?.());

const shipped = (name: string) => {
  const document = defaultPolicyDocuments.find((candidate) => candidate.name === name);
  if (!document) throw new Error(`no shipped policy ${name}`);
  return document;
};

describe(`shipped default policies on ${testDriver}`, () => {
  it("changes nothing on a second start", async () => {
    expect(await seedDefaultPolicies(handle.db)).toEqual([]);
  });

  it("brings an unedited shipped policy up to date after an upgrade, and leaves an edited one alone", async () => {
    const system = { type: "system" as const, id: "test" };
    const admin = shipped("default-admin");
    const operator = shipped("default-operator");
    // As an older release shipped them: one rule fewer each.
    await savePolicyVersion(handle.db, { document: { ...admin, rules: admin.rules.slice(0, -1) }, reason: "old release", source: "builtin" }, system);
    await savePolicyVersion(handle.db, { document: { ...operator, rules: operator.rules.slice(0, -1) }, reason: "site edit", source: "ui" }, system);

    expect(await seedDefaultPolicies(handle.db)).toEqual(["default-admin"]);
    const [adminRow] = await handle.db.select().from(policies).where(eq(policies.name, "default-admin"));
    const [operatorRow] = await handle.db.select().from(policies).where(eq(policies.name, "default-operator"));
    expect(adminRow).toMatchObject({ source: "builtin", currentVersion: 3 });
    expect(operatorRow).toMatchObject({ source: "ui", currentVersion: 2 });
  });
});
