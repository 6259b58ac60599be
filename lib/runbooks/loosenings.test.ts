import { describe, expect, it } from "vitest";
import { loosenings, type SafetyNets } from "./loosenings";

const options = { defaultApprovalExpiresAfterMs: 24 * 3_600_000 };
const base: SafetyNets = { risk: "high", owner: "platform", tags: ["db", "pci"], environment: "production" };
const approvers = (roles: string[], teams: string[] = [], users: string[] = []) => ({ roles: roles as Array<"admin" | "operator" | "developer" | "auditor">, teams, users });
const diff = (before: Partial<SafetyNets>, after: Partial<SafetyNets>) => loosenings({ ...base, ...before }, { ...base, ...after }, options);

describe("what a runbook change loosens", () => {
  it("nothing, for the same definition or one that only tightens", () => {
    expect(diff({}, {})).toEqual([]);
    expect(diff({ risk: "medium" }, { risk: "high" })).toEqual([]);
    expect(diff({ approval: { required: 1 } }, { approval: { required: 2 } })).toEqual([]);
    expect(diff({ approval: { required: 1 } }, { approval: { required: 1, approvers: approvers(["operator"]) } })).toEqual([]);
    expect(diff({ approval: { required: 1, approvers: approvers(["operator", "admin"]) } }, { approval: { required: 1, approvers: approvers(["admin"]) } })).toEqual([]);
    expect(diff({ approval: { required: 1, expiresAfter: "4h" } }, { approval: { required: 1, expiresAfter: "1h" } })).toEqual([]);
    expect(diff({}, { confirm: "cluster", dryRun: { args: ["--dry-run"] }, tags: ["db", "pci", "new"] })).toEqual([]);
  });

  it("a lower risk, and the approval it no longer implies", () => {
    expect(diff({ risk: "high" }, { risk: "medium" })).toEqual(["risk high → medium", "approvals required 1 → 0"]);
    expect(diff({ risk: "medium" }, { risk: "low" })).toEqual(["risk medium → low"]);
    expect(diff({ risk: "high", approval: { required: 2 } }, { risk: "low", approval: { required: 2 } })).toEqual(["risk high → low"]);
  });

  it("fewer approvals, approval removed, or turned off", () => {
    expect(diff({ approval: { required: 2 } }, { approval: { required: 1 } })).toEqual(["approvals required 2 → 1"]);
    expect(diff({ approval: { required: 2 } }, {})).toEqual(["approvals required 2 → 1"]);
    expect(diff({}, { approval: { required: 0 } })).toEqual(["approvals required 1 → 0"]);
  });

  it("more people allowed to approve", () => {
    const narrow = { required: 1, approvers: approvers(["admin"], ["sre"]) };
    expect(diff({ approval: narrow }, { approval: { required: 1 } })).toEqual(["approvers: anyone the policies allow instead of role admin, team sre"]);
    expect(diff({ approval: narrow }, { approval: { required: 1, approvers: approvers(["admin", "developer"], ["sre"]) } })).toEqual(["approvers widened: role developer added"]);
    expect(diff({ approval: narrow }, { approval: { required: 1, approvers: approvers([], [], ["a@example.com"]) } })).toEqual(["approvers widened: user a@example.com added"]);
  });

  it("a request left longer to be approved, against the configured default when the runbook says nothing", () => {
    expect(diff({ approval: { required: 1, expiresAfter: "1h" } }, { approval: { required: 1, expiresAfter: "4h" } })).toEqual(["approval expires after 1h → 4h"]);
    expect(diff({ approval: { required: 1, expiresAfter: "1h" } }, { approval: { required: 1 } })).toEqual(["approval expires after 1h → the default"]);
    expect(diff({ approval: { required: 1 } }, { approval: { required: 1, expiresAfter: "48h" } })).toEqual(["approval expires after the default → 48h"]);
  });

  it("the confirmation or the dry-run mode dropped or changed", () => {
    expect(diff({ confirm: "cluster" }, {})).toEqual(["confirm cluster removed"]);
    expect(diff({ confirm: "cluster" }, { confirm: "region" })).toEqual(["confirm cluster → region"]);
    expect(diff({ dryRun: { args: ["--dry-run"] } }, {})).toEqual(["dry-run mode removed"]);
    expect(diff({ dryRun: { args: ["--dry-run"] } }, { dryRun: { args: ["--verbose"] } })).toEqual(["dry-run mode changed"]);
  });

  it("another owner or environment, or a tag removed: each can take the runbook out from under a policy", () => {
    expect(diff({}, { owner: "payments" })).toEqual(["owner platform → payments"]);
    expect(diff({}, { environment: "staging" })).toEqual(["environment production → staging"]);
    expect(diff({ environment: undefined }, { environment: "dev" })).toEqual(["environment (none) → dev"]);
    expect(diff({}, { environment: undefined })).toEqual(["environment production → (none)"]);
    expect(diff({}, { tags: ["db"] })).toEqual(["tag pci removed"]);
    expect(diff({}, { tags: [] })).toEqual(["tags db, pci removed"]);
  });

  it("lists every loosening of a change that makes several", () => {
    expect(diff({ confirm: "cluster", approval: { required: 2, approvers: approvers(["admin"]) } }, { risk: "low", owner: "sandbox", tags: ["db"] })).toEqual([
      "risk high → low",
      "approvals required 2 → 0",
      "approvers: anyone the policies allow instead of role admin",
      "confirm cluster removed",
      "owner platform → sandbox",
      "tag pci removed",
    ]);
  });

  it("a step's approval removed, weakened, or put under a condition; the step removed or renamed", () => {
    const gated = (extra: Record<string, unknown> = {}) => ({ steps: [{ id: "check" }, { id: "promote", approval: { required: 1, approvers: approvers(["admin"]) }, ...extra }] });
    expect(diff(gated(), gated())).toEqual([]);
    expect(diff(gated(), gated({ approval: { required: 2, approvers: approvers(["admin"]) } }))).toEqual([]);
    expect(diff(gated({ when: "params.x == 1" }), gated())).toEqual([]);
    expect(diff({ steps: [{ id: "promote" }] }, gated())).toEqual([]);
    expect(diff(gated(), gated({ approval: undefined }))).toEqual(["step promote: approval removed"]);
    expect(diff(gated(), gated({ approval: { required: 0 } }))).toEqual(["step promote: approval removed"]);
    expect(diff(gated(), gated({ approval: { required: 1 } }))).toEqual(["step promote: approvers: anyone the policies allow instead of role admin"]);
    expect(diff(gated(), gated({ approval: { required: 1, approvers: approvers(["admin"]), expiresAfter: "48h" } }))).toEqual(["step promote: approval expires after the default → 48h"]);
    expect(diff(gated(), gated({ when: "params.region == \"eu\"" }))).toEqual(['step promote, which needs approval, now runs only when params.region == "eu"']);
    expect(diff(gated({ when: "params.x == 1" }), gated({ when: "params.x == 2" }))).toEqual(["step promote, which needs approval: when params.x == 1 → params.x == 2"]);
    expect(diff(gated(), { steps: [{ id: "check" }, { id: "promote_now" }] })).toEqual(["step promote, which needs approval, removed"]);
  });
  it("a schedule added or changed (it makes runs happen as its owner); removing one tightens", () => {
    const nightly = { name: "nightly", cron: "0 3 * * *", timeZone: "UTC", owner: "ops@example.com", params: {}, misfire: "skip" as const, overlap: "skip" as const };
    expect(diff({}, { schedules: [nightly] })).toEqual(["schedule nightly added (runs as ops@example.com, 0 3 * * *)"]);
    expect(diff({ schedules: [nightly] }, { schedules: [{ ...nightly, owner: "admin@example.com" }] })).toEqual(["schedule nightly changed"]);
    expect(diff({ schedules: [nightly] }, { schedules: [nightly] })).toEqual([]);
    expect(diff({ schedules: [nightly] }, {})).toEqual([]);
  });
});
