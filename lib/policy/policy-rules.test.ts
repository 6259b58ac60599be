import { describe, expect, it } from "vitest";
import { asRunbook, defineAbilityFor, type RunbookSubject } from "./ability";
import { defaultPolicies } from "./default-policies";
import { policyDocumentSchema, type ActivePolicy, type PolicyDocumentInput } from "./document";
import { decide, runPossibility } from "./explain";

const policy = (document: PolicyDocumentInput, version = 1): ActivePolicy => ({ name: document.name, version, document: policyDocumentSchema.parse(document) });

const restartService: RunbookSubject = { slug: "restart-service", risk: "medium", owner: "platform", tags: ["restart"], environment: null };
const dbFailover: RunbookSubject = { slug: "db-failover", risk: "high", owner: "dba", tags: ["db"], environment: "production" };
const developer = { id: "dev-1", role: "developer" as const, email: "dev@example.com", teams: ["payments"] };

describe("policy rules", () => {
  it("conditions a run on the submitted parameter values", () => {
    const stagingOnly = policy({
      name: "restart-outside-production",
      attach: { roles: ["developer"] },
      rules: [{ action: "run", subject: "Runbook", conditions: { slug: "restart-service" }, params: { environment: { $in: ["staging", "dev"] } } }],
    });
    const ability = defineAbilityFor(developer, [stagingOnly]);
    expect(ability.can("run", asRunbook(restartService, { environment: "staging" }))).toBe(true);
    expect(ability.can("run", asRunbook(restartService, { environment: "production" }))).toBe(false);
    expect(ability.can("run", asRunbook(restartService, {}))).toBe(false);
    expect(runPossibility(ability, asRunbook(restartService))).toEqual({ possible: true, constraints: ["environment in [staging, dev]"] });
    expect(runPossibility(ability, asRunbook(dbFailover))).toEqual({ possible: false, constraints: [] });
  });

  it("never combines two narrow rules into a wider one: each rule's conditions must all hold together", () => {
    const narrow = policy({
      name: "narrow",
      attach: { roles: ["developer"] },
      rules: [
        { action: "run", subject: "Runbook", conditions: { owner: "payments", risk: "low" } },
        { action: "run", subject: "Runbook", conditions: { environment: "staging" } },
      ],
    });
    const ability = defineAbilityFor(developer, [narrow]);
    const of = (fields: Partial<RunbookSubject>) => asRunbook({ ...restartService, ...fields });
    expect(ability.can("run", of({ owner: "payments", risk: "low" }))).toBe(true);
    expect(ability.can("run", of({ owner: "payments", risk: "high" }))).toBe(false);
    expect(ability.can("run", of({ owner: "sre", risk: "low", environment: "production" }))).toBe(false);
    expect(ability.can("run", of({ owner: "sre", risk: "high", environment: "staging" }))).toBe(true);
  });

  it("lets a cannot rule beat any can rule, whichever policy or position it comes from", () => {
    const freeze = policy({
      name: "production-freeze",
      attach: { roles: ["operator", "developer"] },
      rules: [{ action: "run", subject: "Runbook", conditions: { environment: "production" }, inverted: true, reason: "change freeze until Monday" }],
    });
    const operator = { id: "op-1", role: "operator" as const };
    for (const order of [[freeze, ...defaultPolicies], [...defaultPolicies, freeze]]) {
      const ability = defineAbilityFor(operator, order);
      expect(ability.can("run", asRunbook(dbFailover))).toBe(false);
      expect(ability.can("run", asRunbook(restartService))).toBe(true);
    }
    const decision = decide(defineAbilityFor(operator, [freeze, ...defaultPolicies]), "operator", "run", "Runbook", asRunbook(dbFailover), "db-failover");
    expect(decision).toMatchObject({ allowed: false, rule: { policy: "production-freeze", rule: 1 } });
    expect(decision.message).toBe("policy production-freeze (v1) rule 1 forbids role operator to run runbook db-failover: change freeze until Monday");
  });

  it("attaches policies to teams and users, and scopes with $user.teams", () => {
    const teamRunbooks = policy({
      name: "team-runbooks",
      attach: { teams: ["payments"] },
      rules: [{ action: "run", subject: "Runbook", conditions: { owner: { $in: "$user.teams" } } }],
    });
    const personal = policy({ name: "personal", attach: { users: ["Dev@Example.com"] }, rules: [{ action: "run", subject: "Runbook", conditions: { slug: "db-failover" } }] });
    const ability = defineAbilityFor(developer, [teamRunbooks, personal]);
    expect(ability.can("run", asRunbook({ ...restartService, owner: "payments" }))).toBe(true);
    expect(ability.can("run", asRunbook({ ...restartService, owner: "platform" }))).toBe(false);
    expect(ability.can("run", asRunbook(dbFailover))).toBe(true);
    const outsider = defineAbilityFor({ ...developer, email: "other@example.com", teams: ["sre"] }, [teamRunbooks, personal]);
    expect(outsider.can("run", asRunbook({ ...restartService, owner: "payments" }))).toBe(false);
    expect(outsider.can("run", asRunbook(dbFailover))).toBe(false);
  });

  it("names the rule that allowed, and says when no rule applies", () => {
    const ability = defineAbilityFor(developer);
    expect(decide(ability, "developer", "run", "Runbook", asRunbook(restartService), "restart-service")).toEqual({
      allowed: true,
      rule: { policy: "default-developer", version: 1, rule: 1, text: "can run Runbook where risk in [low, medium]" },
      message: "allowed by policy default-developer (v1) rule 1: can run Runbook where risk in [low, medium]",
    });
    expect(decide(ability, "developer", "run", "Runbook", asRunbook(dbFailover), "db-failover")).toEqual({
      allowed: false,
      rule: null,
      message: "no rule lets role developer run runbook db-failover",
    });
  });
});

describe("policy documents", () => {
  const base = { name: "p", attach: { roles: ["developer"] }, rules: [{ action: "run", subject: "Runbook" }] };
  const issues = (document: unknown) => {
    const parsed = policyDocumentSchema.safeParse(document);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("accepts a well-formed policy", () => expect(issues(base)).toEqual([]));

  it("names the rule and field that are wrong", () => {
    expect(issues({ ...base, rules: [{ action: "run", subject: "Runbook", conditions: { colour: "red" } }] })).toEqual([
      'rules.0.conditions.colour: Runbook has no field "colour" (fields: slug, tags, risk, owner, environment)',
    ]);
    expect(issues({ ...base, rules: [{ action: "view", subject: "Run", params: { environment: "dev" } }] })).toEqual([
      "rules.0.params: params conditions apply only to action run on subject Runbook",
    ]);
    expect(issues({ ...base, rules: [{ action: "fly", subject: "Runbook" }] })[0]).toMatch(/^rules\.0\.action/);
    expect(issues({ ...base, attach: {} })).toEqual(["attach: attach the policy to at least one role, team or user"]);
  });
});
