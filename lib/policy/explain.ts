import type { Role } from "../roles";
import { abilityFromRules, denialReason, describeTarget } from "./ability";
import type { Action, AppAbility, AppRule, RuleSource, SubjectType } from "./ability-types";
import { missingScope, scopeRefusalMessage } from "./scopes";

export interface Decision {
  allowed: boolean;
  /** The rule that decided, or null when no rule applied (which denies). */
  rule: (RuleSource & { text: string }) | null;
  /** A sentence for a person: why it is allowed or refused. */
  message: string;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => String(item)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([operator, operand]) => `${operator.replace("$", "")} ${describeValue(operand)}`)
      .join(" and ");
  }
  return String(value);
}

function describeConditions(conditions: Record<string, unknown>): string {
  return Object.entries(conditions)
    .map(([field, value]) => {
      const text = describeValue(value);
      return /^(in|nin|all|ne|eq|gt|gte|lt|lte) /.test(text) ? `${field} ${text}` : `${field} = ${text}`;
    })
    .join(" and ");
}

/** "cannot run Runbook where environment = production" */
export function describeRule(rule: AppRule): string {
  const actions = Array.isArray(rule.action) ? rule.action.join("/") : rule.action;
  const subjects = Array.isArray(rule.subject) ? rule.subject.join("/") : String(rule.subject);
  const conditions = rule.conditions ? ` where ${describeConditions(rule.conditions as Record<string, unknown>)}` : "";
  return `${rule.inverted ? "cannot" : "can"} ${actions} ${subjects}${conditions}`;
}

function originOf(rule: { origin: unknown }): AppRule {
  return rule.origin as AppRule;
}

/** Asks the ability and names the rule that decided. */
export function decide(
  ability: AppAbility,
  role: Role,
  action: Action,
  subjectType: SubjectType,
  subject: Parameters<AppAbility["can"]>[1],
  label?: string,
): Decision {
  const relevant = ability.relevantRuleFor(action, subject);
  if (!relevant) {
    const scope = missingScope(ability, action);
    if (scope) {
      const withoutToken = decide(scope.unscoped, role, action, subjectType, subject, label);
      if (!withoutToken.allowed) return withoutToken;
      return { allowed: false, rule: null, message: scopeRefusalMessage(scope.needed, scope.has, `${action} ${describeTarget(subjectType, label)}`) };
    }
    return { allowed: false, rule: null, message: denialReason(role, action, subjectType, label) };
  }
  const origin = originOf(relevant);
  const source = origin.source ?? { policy: "(unnamed)", version: 0, rule: 0 };
  const text = describeRule(origin);
  const where = `policy ${source.policy} (v${source.version}) rule ${source.rule}`;
  if (relevant.inverted) {
    const target = describeTarget(subjectType, label);
    return {
      allowed: false,
      rule: { ...source, text },
      message: `${where} forbids role ${role} to ${action} ${target}${origin.reason ? `: ${origin.reason}` : ` (${text})`}`,
    };
  }
  return { allowed: true, rule: { ...source, text }, message: `allowed by ${where}: ${text}` };
}

const isParamField = (field: string) => field.startsWith("params.");

/**
 * Whether some parameter values would let the user run this runbook, and the parameter
 * constraints that would then apply. Used to enable the Run button before values are chosen;
 * the server still decides on the exact values submitted.
 */
export function runPossibility(ability: AppAbility, runbook: Parameters<AppAbility["can"]>[1]): { possible: boolean; constraints: string[] } {
  const relaxed: AppRule[] = [];
  const withoutParamRules: AppRule[] = [];
  const constraints: string[] = [];
  for (const rule of [...ability.rulesFor("run", "Runbook")].reverse()) {
    const origin = originOf(rule);
    const conditions = (origin.conditions ?? {}) as Record<string, unknown>;
    const paramEntries = Object.entries(conditions).filter(([field]) => isParamField(field));
    if (paramEntries.length === 0) withoutParamRules.push(origin);
    // A cannot that depends on the values only denies some of them: it cannot rule out every run.
    if (paramEntries.length > 0 && origin.inverted) continue;
    const rest = Object.fromEntries(Object.entries(conditions).filter(([field]) => !isParamField(field)));
    const stripped: AppRule = { ...origin, conditions: Object.keys(rest).length > 0 ? rest : undefined };
    relaxed.push(stripped);
    if (!origin.inverted && paramEntries.length > 0 && abilityFromRules([stripped]).can("run", runbook)) {
      constraints.push(describeConditions(Object.fromEntries(paramEntries.map(([field, value]) => [field.slice("params.".length), value]))));
    }
  }
  const possible = abilityFromRules(relaxed).can("run", runbook);
  const anyValues = abilityFromRules(withoutParamRules).can("run", runbook);
  return { possible, constraints: possible && !anyValues ? constraints : [] };
}
