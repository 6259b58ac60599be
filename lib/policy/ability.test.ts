import { describe, expect, it } from "vitest";
import { asRun, asRunbook, asSecret, defineAbilityFor, denialReason, type RunbookSubject } from "./ability";
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
