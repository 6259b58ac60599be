import type { RunbookDefinition } from "../runbooks/definition";
import { asRunbook, defineAbilityFor, type RunbookSubject } from "./ability";
import { defaultPolicies } from "./default-policies";
import type { ActivePolicy, PolicyDocument } from "./document";
import { decide } from "./explain";
import type { PolicyTest } from "./policy-file";

export interface PolicyTestResult {
  test: PolicyTest;
  label: string;
  passed: boolean;
  actual: "allow" | "deny";
  message: string;
}

/** The policies a file puts in force: the shipped defaults, with any of the same name replaced by the file's. */
export function policiesInForce(documents: PolicyDocument[], includeDefaults: boolean): ActivePolicy[] {
  const fromFile = documents.map((document) => ({ name: document.name, version: 0, document }));
  if (!includeDefaults) return fromFile;
  const overridden = new Set(documents.map((document) => document.name));
  return [...defaultPolicies.filter((policy) => !overridden.has(policy.name)), ...fromFile];
}

/** Evaluates each case offline, against the given policies and runbook definitions. */
export function runPolicyTests(tests: PolicyTest[], policies: ActivePolicy[], runbooks: RunbookDefinition[]): PolicyTestResult[] {
  const bySlug = new Map(runbooks.map((runbook) => [runbook.slug, runbook]));
  return tests.map((test, index) => {
    const label = test.name ?? `test ${index + 1}`;
    let runbook: RunbookSubject;
    if (typeof test.runbook === "string") {
      const definition = bySlug.get(test.runbook);
      if (!definition) return { test, label, passed: false, actual: "deny", message: `no runbook "${test.runbook}" in the runbooks directory` };
      runbook = { slug: definition.slug, risk: definition.risk, owner: definition.owner, tags: definition.tags, environment: definition.environment ?? null };
    } else {
      runbook = { ...test.runbook, environment: test.runbook.environment ?? null };
    }
    const user = { id: test.user.id, role: test.user.role, teams: test.user.teams, ...(test.user.email ? { email: test.user.email } : {}) };
    const ability = defineAbilityFor(user, policies);
    const decision = decide(ability, user.role, test.action, "Runbook", asRunbook(runbook, test.action === "run" ? (test.params ?? {}) : undefined), runbook.slug);
    const actual = decision.allowed ? "allow" : "deny";
    return { test, label, passed: actual === test.expect, actual, message: decision.message };
  });
}
