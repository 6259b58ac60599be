import { describe, expect, it } from "vitest";
import { asRun, asRunbook, asSecret, defineAbilityFor, denialReason, policyRequiresApproval, type RunbookSubject } from "./ability";
import { policyDocumentSchema } from "./document";

const runbookOfRisk = (risk: RunbookSubject["risk"]) => asRunbook({ slug: `r-${risk}`, risk, owner: "platform", tags: [] });

describe("default policy", () => {
  it("lets developers run low and medium risk runbooks but not high", () => {
    const ability = defineAbilityFor({ id: "u1", role: "developer" });
    expect(ability.can("run", runbookOfRisk("low"))).toBe(true);
    expect(ability.can("run", runbookOfRisk("medium"))).toBe(true);
    expect(ability.can("run", runbookOfRisk("high"))).toBe(false);
  });

  it("lets operators and admins run every risk level", () => {
    for (const role of ["operator", "admin"] as const) {
      const ability = defineAbilityFor({ id: "u1", role });
      expect(ability.can("run", runbookOfRisk("high"))).toBe(true);
    }
  });

  it("lets the auditor read everything and run nothing", () => {
    const ability = defineAbilityFor({ id: "a1", role: "auditor" });
    expect(ability.can("view", runbookOfRisk("high"))).toBe(true);
    expect(ability.can("read-output", "Run")).toBe(true);
    for (const risk of ["low", "medium", "high"] as const) expect(ability.can("run", runbookOfRisk(risk))).toBe(false);
    expect(ability.can("cancel", "Run")).toBe(false);
  });

  it("lets a developer cancel only their own runs", () => {
    const ability = defineAbilityFor({ id: "dev-1", role: "developer" });
    const own = asRun({ id: 1, runbookSlug: "x", requestedBy: "dev-1", risk: "low" });
    const other = asRun({ id: 2, runbookSlug: "x", requestedBy: "dev-2", risk: "low" });
    expect(ability.can("cancel", own)).toBe(true);
    expect(ability.can("cancel", other)).toBe(false);
  });

  it("names the role, action and runbook in a refusal", () => {
    expect(denialReason("developer", "run", "Runbook", "db-failover")).toBe(
      "no rule lets role developer run runbook db-failover",
    );
  });
});

describe("secrets", () => {
  it("lets admins manage secrets, operators and auditors see which exist, and developers neither", () => {
    const token = asSecret({ name: "pagerduty-token" });
    const admin = defineAbilityFor({ id: "a", role: "admin" });
    expect(admin.can("manage", token) && admin.can("view", "Secret")).toBe(true);
    for (const role of ["operator", "auditor"] as const) {
      const ability = defineAbilityFor({ id: "u", role });
      expect(ability.can("view", token)).toBe(true);
      expect(ability.can("manage", token)).toBe(false);
    }
    const developer = defineAbilityFor({ id: "d", role: "developer" });
    expect(developer.can("view", "Secret")).toBe(false);
    expect(developer.can("manage", token)).toBe(false);
    expect(denialReason("developer", "manage", "Secret", "pagerduty-token")).toBe("no rule lets role developer manage secret pagerduty-token");
  });

  it("accepts conditions on a secret's name and nothing else", () => {
    const rule = (conditions: Record<string, unknown>) =>
      policyDocumentSchema.safeParse({ name: "p", attach: { teams: ["sre"] }, rules: [{ action: "manage", subject: "Secret", conditions }] });
    expect(rule({ name: { $in: ["sre-pager", "sre-db"] } }).success).toBe(true);
    expect(rule({ value: "x" }).error?.issues[0]?.message).toBe('Secret has no field "value" (fields: name)');
  });
});

describe("approvals and break-glass in policies", () => {
  const medium = asRunbook({ slug: "scale", risk: "medium", owner: "platform", tags: [] });
  const low = asRunbook({ slug: "peek", risk: "low", owner: "platform", tags: [] });
  const policy = (rules: Record<string, unknown>[]) => [{ name: "p", version: 1, document: policyDocumentSchema.parse({ name: "p", attach: { roles: ["developer"] }, rules }) }];

  it("requires approval only when every rule that allows the run asks for it", () => {
    const onlyWithApproval = defineAbilityFor({ id: "d", role: "developer" }, policy([
      { action: "run", subject: "Runbook", conditions: { risk: "low" } },
      { action: "run", subject: "Runbook", conditions: { risk: "medium" }, requireApproval: true },
    ]));
    expect(onlyWithApproval.can("run", medium)).toBe(true);
    expect(policyRequiresApproval(onlyWithApproval, medium)).toBe(true);
    expect(policyRequiresApproval(onlyWithApproval, low)).toBe(false);
    const alsoOutright = defineAbilityFor({ id: "d", role: "developer" }, policy([
      { action: "run", subject: "Runbook", conditions: { risk: "medium" }, requireApproval: true },
      { action: "run", subject: "Runbook", conditions: { slug: "scale" } },
    ]));
    expect(policyRequiresApproval(alsoOutright, medium)).toBe(false);
  });

  it("accepts requireApproval only on a can rule for run on Runbook", () => {
    const parse = (rule: Record<string, unknown>) => policyDocumentSchema.safeParse({ name: "p", attach: { roles: ["developer"] }, rules: [rule] }).error?.issues[0]?.message;
    expect(parse({ action: "view", subject: "Runbook", requireApproval: true })).toBe("requireApproval applies only to a can rule for action run on subject Runbook");
    expect(parse({ action: "run", subject: "Runbook", inverted: true, requireApproval: true })).toBe("requireApproval applies only to a can rule for action run on subject Runbook");
    expect(parse({ action: "run", subject: "Runbook", requireApproval: true })).toBeUndefined();
  });

  it("lets operators and admins approve runs and break glass by default, and nobody else", () => {
    const run = asRun({ id: 1, runbookSlug: "x", requestedBy: "someone", risk: "high" });
    const high = asRunbook({ slug: "x", risk: "high", owner: "dba", tags: [] });
    for (const role of ["operator", "admin"] as const) {
      const ability = defineAbilityFor({ id: "u", role });
      expect([ability.can("approve", run), ability.can("break-glass", high)]).toEqual([true, true]);
    }
    for (const role of ["developer", "auditor"] as const) {
      const ability = defineAbilityFor({ id: "u", role });
      expect([ability.can("approve", run), ability.can("break-glass", high)]).toEqual([false, false]);
    }
  });
});
