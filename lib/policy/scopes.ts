import { createMongoAbility } from "@casl/ability";
import { actions, type Action, type AppAbility, type AppRule } from "./ability-types";

/**
 * What an API token may do, always within its user's rights. Every scope includes `read`: a token
 * that may act on something may also see it, so `read` alone makes a read-only token.
 */
export const tokenScopes = ["read", "run", "approve", "author", "admin"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const scopeOfAction: Record<Action, TokenScope> = {
  view: "read",
  "read-output": "read",
  export: "read",
  run: "run",
  cancel: "run",
  "break-glass": "run",
  approve: "approve",
  edit: "author",
  propose: "author",
  manage: "admin",
};

export const scopeDescriptions: Record<TokenScope, string> = {
  read: "see runbooks, runs, output and (for auditors) the audit log",
  run: "request, cancel and break-glass runs",
  approve: "approve or reject other people's runs",
  author: "edit runbooks and propose changes",
  admin: "manage users, teams, tokens, policies, secrets and webhooks",
};

/** Sorted in the canonical order, duplicates removed, `read` always present. */
export function normaliseScopes(scopes: readonly TokenScope[]): TokenScope[] {
  return tokenScopes.filter((scope) => scope === "read" || scopes.includes(scope));
}

const concreteActions = actions.filter((action) => action !== "manage");
const ruleActions = (rule: AppRule): Action[] => (Array.isArray(rule.action) ? rule.action : [rule.action]) as Action[];

/**
 * The rules a token with these scopes keeps: allowing rules lose the actions outside the scopes
 * (CASL's `manage` means every action, so it is spelled out as the actions the scopes allow);
 * forbidding rules are kept whole, since they only ever take rights away.
 */
export function restrictToScopes(rules: readonly AppRule[], scopes: readonly TokenScope[]): AppRule[] {
  const allowed = (action: Action) => scopes.includes(scopeOfAction[action]) || scopeOfAction[action] === "read";
  const restricted: AppRule[] = [];
  for (const rule of rules) {
    if (rule.inverted) {
      restricted.push(rule);
      continue;
    }
    const kept = ruleActions(rule).flatMap((action) => (action === "manage" && !allowed("manage") ? concreteActions.filter(allowed) : allowed(action) ? [action] : []));
    if (kept.length > 0) restricted.push({ ...rule, action: kept.length === 1 ? (kept[0] as Action) : kept });
  }
  return restricted;
}

const scopesOfAbility = new WeakMap<AppAbility, { scopes: readonly TokenScope[]; rules: readonly AppRule[] }>();

/** The ability of a token: its user's rules cut down to the token's scopes; refusals can then name the scope. */
export function abilityWithinScopes(rules: readonly AppRule[], scopes: readonly TokenScope[]): AppAbility {
  const ability = createMongoAbility<AppAbility>(restrictToScopes(rules, scopes));
  scopesOfAbility.set(ability, { scopes: normaliseScopes(scopes), rules });
  return ability;
}

/**
 * The scope this action needs and the ability's token lacks, with the ability its user has without
 * the token: the refusal names the scope only when the user could do it, since otherwise adding
 * the scope would not help and the policy's reason is the one to give.
 */
export function missingScope(ability: AppAbility, action: Action): { needed: TokenScope; has: readonly TokenScope[]; unscoped: AppAbility } | null {
  const token = scopesOfAbility.get(ability);
  const needed = scopeOfAction[action];
  return token && !token.scopes.includes(needed) ? { needed, has: token.scopes, unscoped: createMongoAbility<AppAbility>([...token.rules]) } : null;
}

/** The refusal of a token that lacks a scope, naming it: "this API token lacks the "run" scope, which run runbook x needs (its scopes: read)". */
export function scopeRefusalMessage(needed: TokenScope, has: readonly TokenScope[], what: string): string {
  return `this API token lacks the "${needed}" scope, which ${what} needs (its scopes: ${normaliseScopes(has).join(", ")})`;
}

/** For a change no policy rule governs (withdrawing one's own proposal, say): the refusal when the token lacks the scope, or null. */
export function scopeRefusal(scopes: readonly TokenScope[] | undefined, needed: TokenScope, what: string): string | null {
  return scopes && needed !== "read" && !scopes.includes(needed) ? scopeRefusalMessage(needed, scopes, what) : null;
}

/**
 * The scopes a user's rules give anything to act on: what a token gets when none are chosen.
 * Managing one's own tokens does not count: that alone does not make someone an administrator.
 */
export function scopesAllowedBy(rules: readonly AppRule[]): TokenScope[] {
  const granted = new Set<TokenScope>(["read"]);
  for (const rule of rules) {
    if (rule.inverted) continue;
    const subjects = Array.isArray(rule.subject) ? rule.subject : [rule.subject];
    if (subjects.every((subject) => subject === "Token")) continue;
    for (const action of ruleActions(rule)) {
      if (action === "manage" && subjects.includes("all")) for (const each of actions) granted.add(scopeOfAction[each]);
      else granted.add(scopeOfAction[action]);
    }
  }
  return normaliseScopes([...granted]);
}
