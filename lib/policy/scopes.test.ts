import { describe, expect, it } from "vitest";
import { asRun, asRunbook, asUser, compileRules, defineAbilityFor } from "./ability";
import { defaultPolicies } from "./default-policies";
import { decide } from "./explain";
import { abilityWithinScopes, normaliseScopes, restrictToScopes, scopesAllowedBy } from "./scopes";

const runbook = asRunbook({ slug: "db-failover", risk: "high", owner: "platform", tags: [] });
const run = asRun({ id: 7, runbookSlug: "db-failover", requestedBy: "someone-else", risk: "high" });
const rulesOf = (role: "admin" | "operator" | "developer" | "auditor") => compileRules(defaultPolicies, { id: "u1", role, teams: [] });

describe("token scopes", () => {
  it("a role's default scopes are what its rules give it to do; managing one's own tokens does not make an admin", () => {
    expect(scopesAllowedBy(rulesOf("admin"))).toEqual(["read", "run", "approve", "author", "admin"]);
    expect(scopesAllowedBy(rulesOf("operator"))).toEqual(["read", "run", "approve", "author", "admin"]);
    expect(scopesAllowedBy(rulesOf("developer"))).toEqual(["read", "run", "author"]);
    expect(scopesAllowedBy(rulesOf("auditor"))).toEqual(["read"]);
  });

  it("every scope reads; order and duplicates do not matter", () => {
    expect(normaliseScopes(["admin", "run", "run"])).toEqual(["read", "run", "admin"]);
  });

  it("cuts allowing rules to the scopes, spelling out CASL's manage-everything, and keeps every forbidding rule", () => {
    const rules = [
      { action: "manage" as const, subject: "User" as const },
      { action: ["run", "approve"] as ("run" | "approve")[], subject: "Runbook" as const },
      { action: "run" as const, subject: "Runbook" as const, inverted: true, conditions: { environment: "production" } },
    ];
    const restricted = restrictToScopes(rules, ["read", "run"]);
    expect(restricted[0]?.action).toEqual(["view", "run", "cancel", "break-glass", "read-output", "export"]);
    expect(restricted[1]?.action).toBe("run");
    expect(restricted[2]).toEqual(rules[2]);
    expect(restrictToScopes(rules, ["admin"])[0]?.action).toBe("manage");
  });

  it("an admin's read-only token can read but not act, and the refusal names the scope", () => {
    const ability = abilityWithinScopes(rulesOf("admin"), ["read"]);
    expect(ability.can("view", runbook)).toBe(true);
    expect(ability.can("view", asUser({ id: "u2", role: "developer" }))).toBe(true);
    expect(ability.can("manage", asUser({ id: "u2", role: "developer" }))).toBe(false);
    expect(ability.can("run", runbook)).toBe(false);
    expect(decide(ability, "admin", "approve", "Run", run, "7").message).toBe('this API token lacks the "approve" scope, which approve run 7 needs (its scopes: read)');
  });

  it("a scope never adds to the role: a developer's approve-scoped ability still cannot approve", () => {
    const ability = abilityWithinScopes(rulesOf("developer"), ["approve"]);
    expect(ability.can("approve", run)).toBe(false);
    expect(decide(ability, "developer", "approve", "Run", run, "7").message).toBe("no rule lets role developer approve run 7");
    expect(defineAbilityFor({ id: "u1", role: "developer" }).can("approve", run)).toBe(false);
  });

  it("a token refused both by its scope and by its user's role gives the role's reason, since the scope would not help", () => {
    const auditorToken = abilityWithinScopes(rulesOf("auditor"), ["read"]);
    expect(decide(auditorToken, "auditor", "run", "Runbook", runbook, "db-failover").message).toBe("no rule lets role auditor run runbook db-failover");
    const developerToken = abilityWithinScopes(rulesOf("developer"), ["read"]);
    expect(decide(developerToken, "developer", "run", "Runbook", runbook, "db-failover").message).toBe("no rule lets role developer run runbook db-failover");
  });
});
