import type { ActivePolicy, PolicyDocumentInput } from "./document";
import { policyDocumentSchema } from "./document";

/**
 * The shipped default policy: everyone views runbooks and runs, developers run low and medium
 * risk and cancel their own runs, operators and admins run and cancel everything, auditors read
 * everything and run nothing. Seeded into the database on first start as builtin policies.
 */
export const defaultPolicyDocuments: PolicyDocumentInput[] = [
  {
    name: "default-everyone",
    description: "Every signed-in user sees runbooks, runs and their output, and manages their own API tokens.",
    attach: { roles: ["admin", "operator", "developer", "auditor"] },
    rules: [
      { action: "view", subject: "Runbook" },
      { action: ["view", "read-output"], subject: "Run" },
      { action: ["view", "manage"], subject: "Token", conditions: { userId: "$user.id" } },
    ],
  },
  {
    name: "default-developer",
    description: "Developers run low- and medium-risk runbooks, cancel their own runs, and propose runbooks for an operator to review.",
    attach: { roles: ["developer"] },
    rules: [
      { action: "run", subject: "Runbook", conditions: { risk: { $in: ["low", "medium"] } } },
      { action: "cancel", subject: "Run", conditions: { requestedBy: "$user.id" } },
      { action: "propose", subject: "Runbook" },
    ],
  },
  {
    name: "default-operator",
    description:
      "Operators run every runbook, cancel any run, author runbooks and review proposals, approve other people's runs, break glass in an emergency, see which secrets exist (never their values), and manage webhooks for their teams' runbooks.",
    attach: { roles: ["operator"] },
    rules: [
      { action: "run", subject: "Runbook" },
      { action: "cancel", subject: "Run" },
      { action: "view", subject: "Secret" },
      { action: "edit", subject: "Runbook" },
      { action: "approve", subject: "Run" },
      { action: "break-glass", subject: "Runbook" },
      { action: "view", subject: "Webhook" },
      { action: "manage", subject: "Webhook", conditions: { owner: { $in: "$user.teams" } } },
    ],
  },
  {
    name: "default-admin",
    description: "Admins run every runbook, cancel any run, approve other people's runs, break glass, and manage users, teams, tokens, policies, secrets and webhooks.",
    attach: { roles: ["admin"] },
    rules: [
      { action: "run", subject: "Runbook" },
      { action: "cancel", subject: "Run" },
      { action: "manage", subject: "User" },
      { action: "manage", subject: "Team" },
      { action: "manage", subject: "Token" },
      { action: "manage", subject: "Policy" },
      { action: ["view", "export"], subject: "AuditEvent" },
      { action: "manage", subject: "Secret" },
      { action: "edit", subject: "Runbook" },
      { action: "approve", subject: "Run" },
      { action: "break-glass", subject: "Runbook" },
      { action: "manage", subject: "Webhook" },
    ],
  },
  {
    name: "default-auditor",
    description: "Auditors read the audit log, the policies, the webhooks and which secrets exist (never their values); they run nothing.",
    attach: { roles: ["auditor"] },
    rules: [
      { action: ["view", "export"], subject: "AuditEvent" },
      { action: "view", subject: "Policy" },
      { action: "view", subject: "Secret" },
      { action: "view", subject: "Webhook" },
    ],
  },
];

export const defaultPolicies: ActivePolicy[] = defaultPolicyDocuments.map((document) => ({
  name: document.name,
  version: 1,
  document: policyDocumentSchema.parse(document),
}));
