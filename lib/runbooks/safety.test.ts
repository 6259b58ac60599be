import { describe, expect, it } from "vitest";
import { runbookFileSchema, type RunbookDefinition } from "./definition";
import { checkSafetyFields, safetyRequirements } from "./safety";

const base = { slug: "db-failover", title: "Failover", owner: "dba", timeout: "1m", command: ["/bin/true"] };
const definitionOf = (fields: Record<string, unknown>) => runbookFileSchema.parse({ ...base, ...fields }) as RunbookDefinition;
const plan = (definition: RunbookDefinition, extra: Partial<Parameters<typeof safetyRequirements>[0]> = {}) =>
  safetyRequirements({ definition, values: {}, policyRequiresApproval: false, dryRun: false, ...extra });

describe("what a run request must carry", () => {
  it("asks nothing of low risk, a reason of medium, and a reason, a confirmation and one approval of high", () => {
    expect(plan(definitionOf({ risk: "low" }))).toEqual({ risk: "low", raisedFrom: null, approvalsRequired: 0, reasonRequired: false, confirmation: null });
    expect(plan(definitionOf({ risk: "medium" }))).toMatchObject({ approvalsRequired: 0, reasonRequired: true, confirmation: null });
    expect(plan(definitionOf({ risk: "high" }))).toMatchObject({ approvalsRequired: 1, reasonRequired: true, confirmation: { expected: "db-failover", label: "the runbook slug" } });
  });

  it("takes the runbook's approval count, lets it turn approval off, and never lets that undo a raised risk", () => {
    expect(plan(definitionOf({ risk: "low", approval: { required: 2 } })).approvalsRequired).toBe(2);
    expect(plan(definitionOf({ risk: "high", approval: { required: 0 } })).approvalsRequired).toBe(0);
    const raised = plan(definitionOf({ risk: "low", approval: { required: 0 } }), { requestedRisk: "high" });
    expect(raised).toMatchObject({ risk: "high", raisedFrom: "low", approvalsRequired: 1, reasonRequired: true });
    expect(plan(definitionOf({ risk: "low" }), { requestedRisk: "medium" })).toMatchObject({ risk: "medium", approvalsRequired: 0, reasonRequired: true });
    expect(plan(definitionOf({ risk: "low" }), { policyRequiresApproval: true }).approvalsRequired).toBe(1);
  });

  it("asks a dry run for nothing", () => {
    expect(plan(definitionOf({ risk: "high", approval: { required: 3 } }), { dryRun: true, requestedRisk: "high" })).toEqual({
      risk: "high",
      raisedFrom: null,
      approvalsRequired: 0,
      reasonRequired: false,
      confirmation: null,
    });
  });

  it("confirms with the named parameter's value when the runbook says so", () => {
    const definition = definitionOf({ risk: "high", confirm: "cluster", parameters: [{ name: "cluster", type: "string", required: true }] });
    const requirements = plan(definition, { values: { cluster: "pg-main" } });
    expect(requirements.confirmation).toEqual({ expected: "pg-main", label: "the value of cluster" });
    expect(checkSafetyFields(requirements, "high", { reason: "r", confirm: "db-failover" })).toEqual({
      field: "confirm",
      message: 'does not match: type the value of cluster "pg-main" exactly to confirm this high-risk run',
    });
    expect(checkSafetyFields(requirements, "high", { reason: "r", confirm: " pg-main " })).toBeNull();
  });

  it("names the first missing or wrong field", () => {
    const high = plan(definitionOf({ risk: "high" }));
    expect(checkSafetyFields(high, "high", { risk: "medium", reason: "r", confirm: "db-failover" })?.field).toBe("risk");
    expect(checkSafetyFields(high, "high", { confirm: "db-failover" })?.field).toBe("reason");
    expect(checkSafetyFields(high, "high", { ticket: "INC-1" })).toEqual({ field: "confirm", message: 'type the runbook slug "db-failover" to confirm this high-risk run' });
    expect(checkSafetyFields(high, "high", { ticket: "INC-1", confirm: "db-failover" })).toBeNull();
  });
});

describe("safety fields in a definition", () => {
  const issues = (fields: Record<string, unknown>) => runbookFileSchema.safeParse({ ...base, risk: "high", ...fields }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("refuses a dry-run parameter that is not a boolean, and a confirmation from a secret or optional parameter", () => {
    expect(issues({ dryRun: { parameter: "target" }, parameters: [{ name: "target", type: "string" }] })).toEqual(['dryRun.parameter: must name a boolean parameter ("target" is not one)']);
    expect(issues({ dryRun: {} })).toEqual(["dryRun: name a boolean parameter or args for the dry-run mode"]);
    expect(issues({ confirm: "token", parameters: [{ name: "token", type: "secret", required: true }] })?.[0]).toMatch(/^confirm: a secret parameter cannot be the confirmation/);
    expect(issues({ confirm: "host", parameters: [{ name: "host", type: "string" }] })?.[0]).toMatch(/^confirm: "host" must be required or have a default/);
    expect(issues({ confirm: "nope" })).toEqual(['confirm: "nope" names no parameter']);
  });

  it("limits approvals to five people and checks the approvers and expiry", () => {
    expect(issues({ approval: { required: 6 } })?.[0]).toMatch(/^approval.required:/);
    expect(issues({ approval: { approvers: { roles: ["root"] } } })?.[0]).toMatch(/^approval.approvers.roles.0:/);
    expect(issues({ approval: { expiresAfter: "tomorrow" } })).toEqual(['approval.expiresAfter: must be a duration such as "90s", "5m" or "1h"']);
    expect(issues({ approval: { required: 2, approvers: { teams: ["dba"], users: ["Lead@Example.com"] }, expiresAfter: "4h" } })).toBeUndefined();
  });
});
