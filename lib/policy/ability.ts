import { createMongoAbility, subject as tagSubject, type MongoAbility, type RawRuleOf } from "@casl/ability";
import type { Role } from "../db/schema";

/** Pure: no database, no Node built-ins, so the browser can rebuild the same ability from packed rules. */
export const actions = ["view", "run", "cancel", "edit", "propose", "approve", "break-glass", "read-output", "manage", "export"] as const;
export type Action = (typeof actions)[number];
export const subjectTypes = ["Runbook", "Run", "AuditEvent", "Policy", "User", "Team", "Token", "Approval", "all"] as const;
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
    { action: "view", subject: "Token", conditions: { userId: user.id } },
    { action: "manage", subject: "Token", conditions: { userId: user.id } },
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
        { action: "manage", subject: "Team" },
        { action: "manage", subject: "Token" },
        { action: "manage", subject: "Policy" },
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

const subjectNouns: Record<SubjectType, string> = {
  Runbook: "runbook",
  Run: "run",
  AuditEvent: "audit event",
  Policy: "policy",
  User: "user",
  Team: "team",
  Token: "token",
  Approval: "approval",
  all: "anything",
};

/** "no rule lets role developer run runbook rolling-restart" */
export function denialReason(role: Role, action: Action, subjectType: SubjectType, label?: string): string {
  const target = label ? `${subjectNouns[subjectType]} ${label}` : `${subjectNouns[subjectType]}s`;
  return `no rule lets role ${role} ${action} ${target}`;
}
