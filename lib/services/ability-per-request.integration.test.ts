import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db";
import { asRunbook } from "../policy/ability";
import { createActor } from "../testing/fixtures";
import { openTestDatabase, testDriver } from "../testing/test-database";
import { abilityFor, forOneRequest, type Actor } from "./actor";
import { savePolicyVersion } from "./policies/save-policy";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let developer: Actor;
const failover = asRunbook({ slug: "db-failover", risk: "high", owner: "dba", tags: [] });

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  developer = await createActor(handle, "developer");
});
afterAll(async () => dispose?.());

describe(`one ability per request (${testDriver})`, () => {
  it("an actor resolved for a request builds its ability once; the next request sees a policy saved meanwhile", async () => {
    const request = forOneRequest({ ...developer });
    const first = await abilityFor(request);
    expect(await abilityFor(request)).toBe(first);
    expect(first.can("run", failover)).toBe(false);

    await savePolicyVersion(
      handle.db,
      { document: { name: "developers-fail-over", attach: { roles: ["developer"] }, rules: [{ action: "run", subject: "Runbook" }] }, reason: "test", source: "ui" },
      { type: "system", id: "test" },
    );
    expect((await abilityFor(request)).can("run", failover)).toBe(false);
    expect((await abilityFor(forOneRequest({ ...developer }))).can("run", failover)).toBe(true);
    // Outside a request (the CLI, tests, a stream's re-check), every call reads the policies in force.
    expect(await abilityFor(developer)).not.toBe(await abilityFor(developer));
  });
});
