import type { MongoAbility, RawRuleOf } from "@casl/ability";

export const actions = ["view", "run", "cancel", "edit", "propose", "approve", "break-glass", "read-output", "manage", "export"] as const;
export type Action = (typeof actions)[number];
export const subjectTypes = ["Runbook", "Run", "AuditEvent", "Policy", "User", "Team", "Token", "Secret", "Webhook", "Approval", "all"] as const;
export type SubjectType = (typeof subjectTypes)[number];

export type AppAbility = MongoAbility<[Action, SubjectType | { __caslSubjectType__: SubjectType }]>;

/** Where a compiled rule came from, so a decision can name it. `rule` counts from 1. */
export interface RuleSource {
  policy: string;
  version: number;
  rule: number;
}

/** `requireApproval`: a `run` rule that allows the run only once someone else approves it. */
export type AppRule = RawRuleOf<AppAbility> & { source?: RuleSource; requireApproval?: boolean };
