import { z } from "zod";
import { roles } from "../roles";
import { actions, type Action, type SubjectType } from "./ability-types";

/** The fields a condition may name, per subject. Anything else is refused when a policy is saved. */
export const conditionFields: Record<Exclude<SubjectType, "all">, readonly string[]> = {
  Runbook: ["slug", "tags", "risk", "owner", "environment"],
  Run: ["runbookSlug", "requestedBy", "risk", "owner", "environment", "tags"],
  AuditEvent: [],
  Policy: [],
  User: ["id", "role"],
  Team: ["id", "name"],
  Token: ["userId"],
  Secret: ["name"],
  Webhook: ["owner"],
  Approval: [],
};

export const operators = ["$eq", "$ne", "$in", "$nin", "$all", "$gt", "$gte", "$lt", "$lte"] as const;
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const operatorSchema = z
  .object(Object.fromEntries(operators.map((operator) => [operator, z.union([scalar, z.array(scalar)]).optional()])))
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: "an operator object needs one of " + operators.join(", ") });
export const conditionValueSchema = z.union([scalar, z.array(scalar), operatorSchema]);
export type ConditionValue = z.infer<typeof conditionValueSchema>;

const policySubjects = ["Runbook", "Run", "AuditEvent", "Policy", "User", "Team", "Token", "Secret", "Webhook", "Approval"] as const;

export const policyRuleSchema = z
  .object({
    action: z.union([z.enum(actions), z.array(z.enum(actions)).min(1)]),
    subject: z.enum(policySubjects),
    /** Field conditions on the subject; every one must hold (AND). */
    conditions: z.record(z.string(), conditionValueSchema).optional(),
    /** For `run` only: conditions on the submitted parameter values (AND, together with `conditions`). */
    params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a parameter name"), conditionValueSchema).optional(),
    /** A `cannot` rule: when it matches it denies, whatever any `can` rule says. */
    inverted: z.boolean().default(false),
    /** Shown to the person refused by an inverted rule, and in explanations. */
    reason: z.string().max(300).optional(),
    /** For `run` on `Runbook`: the rule allows the run only after someone else approves it. */
    requireApproval: z.boolean().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const allowed = conditionFields[rule.subject];
    for (const field of Object.keys(rule.conditions ?? {})) {
      const base = field.split(".")[0] ?? field;
      if (!allowed.includes(base)) {
        ctx.addIssue({
          code: "custom",
          path: ["conditions", field],
          message: allowed.length
            ? `${rule.subject} has no field "${field}" (fields: ${allowed.join(", ")})`
            : `${rule.subject} rules take no conditions`,
        });
      }
    }
    const ruleActions: Action[] = Array.isArray(rule.action) ? rule.action : [rule.action];
    if (rule.params && (rule.subject !== "Runbook" || ruleActions.some((action) => action !== "run"))) {
      ctx.addIssue({ code: "custom", path: ["params"], message: "params conditions apply only to action run on subject Runbook" });
    }
    if (rule.requireApproval !== undefined && (rule.subject !== "Runbook" || ruleActions.some((action) => action !== "run") || rule.inverted)) {
      ctx.addIssue({ code: "custom", path: ["requireApproval"], message: "requireApproval applies only to a can rule for action run on subject Runbook" });
    }
  });
export type PolicyRule = z.infer<typeof policyRuleSchema>;

export const policyNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes");

export const policyDocumentSchema = z
  .object({
    name: policyNameSchema,
    description: z.string().max(500).default(""),
    attach: z
      .object({
        roles: z.array(z.enum(roles, { message: `must be one of: ${roles.join(", ")}` })).default([]),
        teams: z.array(z.string().min(1)).default([]),
        users: z.array(z.email("must be an email address").transform((email) => email.toLowerCase())).default([]),
      })
      .strict()
      .refine((attach) => attach.roles.length + attach.teams.length + attach.users.length > 0, {
        message: "attach the policy to at least one role, team or user",
      }),
    rules: z.array(policyRuleSchema).min(1, "a policy needs at least one rule"),
  })
  .strict();
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;

/** A policy as it is in force: its document and the version that holds it. */
export interface ActivePolicy {
  name: string;
  version: number;
  document: PolicyDocument;
}
