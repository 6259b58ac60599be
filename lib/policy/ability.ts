import { createMongoAbility, subject as tagSubject, type MongoAbility, type RawRuleOf } from "@casl/ability";
import type { Role } from "../db/schema";

/** Pure: no database, no Node built-ins, so the browser can rebuild the same ability from packed rules. */
export const actions = ["view", "run", "read-output", "cancel", "manage"] as const;
export type Action = (typeof actions)[number];
export const subjectTypes = ["Runbook", "Run", "AuditEvent", "User", "Token", "all"] as const;
export type SubjectType = (typeof subjectTypes)[number];

export interface RunbookSubject {
  slug: string;
  risk: "low" | "medium" | "high";
  owner: string;
  tags: string[];
}
export interface RunSubject {
  id: number;
  runbookSlug: string;
  requestedBy: string;
  risk: "low" | "medium" | "high";
}

export type AppAbility = MongoAbility<[Action, SubjectType | { __caslSubjectType__: SubjectType }]>;
export type AppRule = RawRuleOf<AppAbility>;

export interface PolicyUser {
  id: string;
  role: Role;
}

/** The shipped default policy. The full policy system (issue: access policies) layers on top of it. */
export function defaultRulesFor(user: PolicyUser): AppRule[] {
  const viewEverything: AppRule[] = [
    { action: "view", subject: "Runbook" },
    { action: "view", subject: "Run" },
    { action: "read-output", subject: "Run" },
  ];
  switch (user.role) {
    case "developer":
      return [
        ...viewEverything,
        { action: "run", subject: "Runbook", conditions: { risk: { $in: ["low", "medium"] } } },
        { action: "cancel", subject: "Run", conditions: { requestedBy: user.id } },
      ];
    case "operator":
      return [...viewEverything, { action: "run", subject: "Runbook" }, { action: "cancel", subject: "Run" }];
    case "admin":
      return [
        ...viewEverything,
        { action: "run", subject: "Runbook" },
        { action: "cancel", subject: "Run" },
        { action: "manage", subject: "User" },
        { action: "manage", subject: "Token" },
        { action: "view", subject: "AuditEvent" },
      ];
    case "auditor":
      return [...viewEverything, { action: "view", subject: "AuditEvent" }];
  }
}

export function abilityFromRules(rules: AppRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

export function defineAbilityFor(user: PolicyUser): AppAbility {
  return abilityFromRules(defaultRulesFor(user));
}

export function asRunbook(runbook: RunbookSubject) {
  return tagSubject("Runbook", { ...runbook });
}

export function asRun(run: RunSubject) {
  return tagSubject("Run", { ...run });
}

const subjectNouns: Record<SubjectType, string> = {
  Runbook: "runbook",
  Run: "run",
  AuditEvent: "audit event",
  User: "user",
  Token: "token",
  all: "anything",
};

/** "no rule lets role developer run runbook rolling-restart" */
export function denialReason(role: Role, action: Action, subjectType: SubjectType, label?: string): string {
  const target = label ? `${subjectNouns[subjectType]} ${label}` : `${subjectNouns[subjectType]}s`;
  return `no rule lets role ${role} ${action} ${target}`;
}
