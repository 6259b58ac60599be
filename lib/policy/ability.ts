import { createMongoAbility, subject as tagSubject } from "@casl/ability";
import type { Role } from "../roles";
import type { AppAbility, AppRule, SubjectType } from "./ability-types";
import { defaultPolicies } from "./default-policies";
import type { ActivePolicy, ConditionValue, PolicyDocument } from "./document";

/** Pure: no database, no Node built-ins, so the browser can rebuild the same ability from packed rules. */
export * from "./ability-types";

export interface RunbookSubject {
  slug: string;
  risk: "low" | "medium" | "high";
  owner: string;
  tags: string[];
  environment?: string | null;
}
export interface RunSubject {
  id: number;
  runbookSlug: string;
  requestedBy: string;
  risk: "low" | "medium" | "high";
  owner?: string;
  tags?: string[];
  environment?: string | null;
}

export interface PolicyUser {
  id: string;
  role: Role;
  email?: string;
  teams?: string[];
}

/** Whether a set of roles, teams and people (a policy's `attach`, a runbook's approvers) includes the user. */
export function matchesAttachment(attach: { roles: readonly string[]; teams: readonly string[]; users: readonly string[] }, user: PolicyUser): boolean {
  return (
    attach.roles.includes(user.role) ||
    attach.teams.some((team) => user.teams?.includes(team)) ||
    (user.email !== undefined && attach.users.includes(user.email.toLowerCase()))
  );
}

export function isAttached(document: PolicyDocument, user: PolicyUser): boolean {
  return matchesAttachment(document.attach, user);
}

type Scalar = string | number | boolean;

/** `$user.id`, `$user.email` and `$user.teams` stand for the user the ability is built for. */
function substitute(value: ConditionValue, user: PolicyUser): unknown {
  const one = (item: Scalar): Scalar | Scalar[] => {
    if (item === "$user.id") return user.id;
    if (item === "$user.email") return user.email ?? "";
    if (item === "$user.teams") return user.teams ?? [];
    return item;
  };
  if (Array.isArray(value)) return value.flatMap((item) => one(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([operator, operand]) => [
        operator,
        Array.isArray(operand) ? operand.flatMap((item) => one(item)) : operand === undefined ? operand : one(operand),
      ]),
    );
  }
  return one(value);
}

/** Compiles the attached policies to CASL rules: `can` rules first, then every `cannot`, so a matching cannot always wins. */
export function compileRules(policies: readonly ActivePolicy[], user: PolicyUser): AppRule[] {
  const allowing: AppRule[] = [];
  const denying: AppRule[] = [];
  for (const policy of policies) {
    if (!isAttached(policy.document, user)) continue;
    policy.document.rules.forEach((rule, index) => {
      const conditions: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(rule.conditions ?? {})) conditions[field] = substitute(value, user);
      for (const [name, value] of Object.entries(rule.params ?? {})) conditions[`params.${name}`] = substitute(value, user);
      const compiled: AppRule = {
        action: rule.action,
        subject: rule.subject,
        inverted: rule.inverted,
        ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
        ...(rule.reason ? { reason: rule.reason } : {}),
        ...(rule.requireApproval ? { requireApproval: true } : {}),
        source: { policy: policy.name, version: policy.version, rule: index + 1 },
      };
      (rule.inverted ? denying : allowing).push(compiled);
    });
  }
  return [...allowing, ...denying];
}

export function abilityFromRules(rules: AppRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

export function defineAbilityFor(user: PolicyUser, policies: readonly ActivePolicy[] = defaultPolicies): AppAbility {
  return abilityFromRules(compileRules(policies, user));
}

export function asRunbook(runbook: RunbookSubject, params?: Record<string, unknown>) {
  return tagSubject("Runbook", { ...runbook, environment: runbook.environment ?? null, ...(params ? { params } : {}) });
}

export function asRun(run: RunSubject) {
  return tagSubject("Run", { ...run, environment: run.environment ?? null });
}

export interface TokenSubject {
  id: string;
  userId: string;
}

export function asToken(token: TokenSubject) {
  return tagSubject("Token", { ...token });
}

export function asUser(user: { id: string; role: Role }) {
  return tagSubject("User", { ...user });
}

export function asTeam(team: { id: string; name: string }) {
  return tagSubject("Team", { ...team });
}

export function asWebhook(webhook: { owner: string | null }) {
  return tagSubject("Webhook", { owner: webhook.owner });
}

/**
 * True when every `can run` rule that allows this runbook (with these values) asks for approval:
 * one rule that allows the run outright is enough to run without.
 */
export function policyRequiresApproval(ability: AppAbility, runbook: Parameters<AppAbility["can"]>[1]): boolean {
  const allowing = ability.rulesFor("run", "Runbook").filter((rule) => !rule.inverted && rule.matchesConditions(runbook));
  return allowing.length > 0 && allowing.every((rule) => (rule.origin as AppRule).requireApproval === true);
}

export function asSecret(secret: { name: string }) {
  return tagSubject("Secret", { name: secret.name });
}

const subjectNouns: Record<SubjectType, string> = {
  Runbook: "runbook",
  Run: "run",
  AuditEvent: "audit event",
  Policy: "policy",
  User: "user",
  Team: "team",
  Token: "token",
  Secret: "secret",
  Webhook: "webhook",
  Approval: "approval",
  all: "anything",
};


const plural = (noun: string) => (noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`);

/** "runbook db-failover", or the plural for the kind as a whole: "policies". */
export function describeTarget(subjectType: SubjectType, label?: string): string {
  return label ? `${subjectNouns[subjectType]} ${label}` : plural(subjectNouns[subjectType]);
}

/** "no rule lets role developer run runbook rolling-restart" */
export function denialReason(role: Role, action: string, subjectType: SubjectType, label?: string): string {
  return `no rule lets role ${role} ${action} ${describeTarget(subjectType, label)}`;
}
