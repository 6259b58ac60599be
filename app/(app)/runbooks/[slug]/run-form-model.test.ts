import { describe, expect, it } from "vitest";
import { safetyRequirements } from "@/lib/runbooks/safety";
import { describeApprovers } from "@/lib/runbooks/safety";
import type { AppRule } from "@/lib/policy/ability";
import { approvalNote, checkRunFormSafety, dryRunFirst, parameterHint, policyApprovalFor, type TypedSafetyFields } from "./run-form-model";

const definition = { slug: "rolling-restart", risk: "high" as const, approval: { required: 1 }, confirm: undefined };
const high = safetyRequirements({ definition, values: {}, policyRequiresApproval: false, dryRun: false });
const empty: TypedSafetyFields = { reason: "", ticket: "", confirm: "", justification: "", incident: "" };

describe("run form safety checks", () => {
  const fields = (problems: Array<{ field: string }>) => problems.map((problem) => problem.field);

  it("a dry run needs nothing", () => {
    expect(checkRunFormSafety("dry-run", high, "high", empty)).toEqual([]);
  });

  it("a high-risk request needs a reason or a ticket and the typed slug, and says so all at once", () => {
    expect(fields(checkRunFormSafety("run", high, "high", empty))).toEqual(["reason", "confirm"]);
    expect(fields(checkRunFormSafety("run", high, "high", { ...empty, ticket: "INC 1" }))).toEqual(["ticket", "reason", "confirm"]);
    expect(checkRunFormSafety("run", high, "high", { ...empty, ticket: "INC-1" })).toEqual([{ field: "confirm", message: 'type the runbook slug "rolling-restart" to confirm this high-risk run' }]);
    expect(checkRunFormSafety("run", high, "high", { ...empty, reason: "stuck deploy", confirm: "rolling-restart" })).toEqual([]);
  });

  it("break-glass names its own fields and still needs the confirmation", () => {
    expect(fields(checkRunFormSafety("break-glass", high, "high", { ...empty, justification: "short" }))).toEqual(["breakGlass.justification", "breakGlass.incident", "confirm"]);
    expect(fields(checkRunFormSafety("break-glass", high, "high", { ...empty, justification: "the site is down for everyone", incident: "" }))).toEqual(["breakGlass.incident", "confirm"]);
    const glass = { ...empty, justification: "the site is down for everyone", incident: "INC-9" };
    expect(fields(checkRunFormSafety("break-glass", high, "high", glass))).toEqual(["confirm"]);
    expect(checkRunFormSafety("break-glass", high, "high", { ...glass, confirm: "rolling-restart" })).toEqual([]);
  });

  it("refuses lowering the risk", () => {
    const medium = safetyRequirements({ definition: { ...definition, risk: "medium" }, values: {}, policyRequiresApproval: false, dryRun: false });
    expect(fields(checkRunFormSafety("run", medium, "medium", { ...empty, risk: "low", reason: "x" }))).toEqual(["risk"]);
  });
});

describe("parameter hints", () => {
  it("say the range, the allowed values or the pattern before anyone gets it wrong", () => {
    expect(parameterHint({ name: "checks", type: "integer", required: false, min: 1, max: 20 })).toBe("a whole number from 1 to 20");
    expect(parameterHint({ name: "ratio", type: "number", required: false, min: 0 })).toBe("a number, at least 0");
    expect(parameterHint({ name: "svc", type: "string", required: false, pattern: "^[a-z]+$" })).toBe("must match ^[a-z]+$");
    expect(parameterHint({ name: "env", type: "string", required: false, allowed: ["dev", "prod"] })).toBe("one of: dev, prod");
    expect(parameterHint({ name: "env", type: "enum", required: false, allowed: ["dev", "prod"] })).toBeNull();
    expect(parameterHint({ name: "force", type: "boolean", required: false })).toBeNull();
  });
});

describe("run form wording", () => {
  it("describes approvers, or none for anyone the policies allow", () => {
    expect(describeApprovers({ roles: ["operator", "admin"], teams: [], users: [] })).toBe("role operator or admin");
    expect(describeApprovers({ roles: [], teams: ["sre"], users: ["a@b.c"] })).toBe("team sre, or a@b.c");
    expect(describeApprovers({ roles: [], teams: [], users: [] })).toBeNull();
    expect(describeApprovers(undefined)).toBeNull();
  });

  it("says how many approvals, from whom, and why", () => {
    expect(approvalNote(1, "role operator or admin", null, false)).toBe(
      "Needs 1 approval from someone with role operator or admin, other than you. It waits with its parameters frozen until then.",
    );
    expect(approvalNote(2, null, "low", false)).toContain("Needs 2 approvals from someone allowed to approve runs, other than you (you raised the risk from low)");
    expect(approvalNote(1, null, null, true)).toContain("(your access allows this runbook only with approval)");
  });

  it("offers the dry run first from medium risk", () => {
    expect(dryRunFirst(true, "medium")).toBe(true);
    expect(dryRunFirst(true, "low")).toBe(false);
    expect(dryRunFirst(false, "high")).toBe(false);
  });
});

describe("policy approval as the form's values change", () => {
  const runbook = { slug: "deploy", risk: "medium" as const, owner: "platform", tags: [], environment: null };
  const parameters = [{ name: "environment", type: "enum" as const, allowed: ["dev", "staging", "production"], required: true }];
  // Developers deploy to dev and staging outright; production only with an approval.
  const runRules: AppRule[] = [
    { action: "run", subject: "Runbook", conditions: { slug: "deploy", "params.environment": { $in: ["dev", "staging"] } } },
    { action: "run", subject: "Runbook", conditions: { slug: "deploy", "params.environment": "production" }, requireApproval: true },
  ];

  it("asks for approval exactly for the values the server would hold", () => {
    expect(policyApprovalFor(runRules, runbook, parameters, { environment: "production" })).toBe(true);
    expect(policyApprovalFor(runRules, runbook, parameters, { environment: "staging" })).toBe(false);
  });

  it("a rule that allows the run outright wins over one that asks for approval", () => {
    const outright: AppRule = { action: "run", subject: "Runbook", conditions: { owner: "platform" } };
    expect(policyApprovalFor([...runRules, outright], runbook, parameters, { environment: "production" })).toBe(false);
  });

  it("judges the runbook without values while they are incomplete, as the server does when it lists it", () => {
    const gated: AppRule = { action: "run", subject: "Runbook", conditions: { risk: "medium" }, requireApproval: true };
    expect(policyApprovalFor([gated], runbook, parameters, { environment: "" })).toBe(true);
    expect(policyApprovalFor(runRules, runbook, parameters, { environment: "" })).toBe(false);
    expect(policyApprovalFor([], runbook, parameters, { environment: "dev" })).toBe(false);
  });
});
