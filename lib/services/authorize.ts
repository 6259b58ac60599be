import type { Db } from "../db/client";
import { recordAudit } from "../audit/record";
import { forbidden, notFound } from "../errors";
import type { Action, AppAbility, SubjectType } from "../policy/ability";
import { decide, type Decision } from "../policy/explain";
import { abilityFor, auditActorOf, type Actor } from "./actor";

export interface Check {
  action: Action;
  subjectType: SubjectType;
  /** The subject tagged with its type (asRunbook/asRun…), or omitted to ask about the type as a whole. */
  subject?: Parameters<AppAbility["can"]>[1];
  subjectId?: string;
  label?: string;
  versionHash?: string;
  details?: Record<string, unknown>;
  /** The actor's ability when the caller already built it for this request: saves reloading the policies. */
  ability?: AppAbility;
}

async function recordDenial(db: Db, actor: Actor, check: Check, decision: Decision): Promise<void> {
  await recordAudit(db, {
    actor: auditActorOf(actor),
    action: `${check.subjectType.toLowerCase()}.${check.action}`,
    outcome: "denied",
    subjectType: check.subjectType.toLowerCase(),
    ...(check.subjectId ? { subjectId: check.subjectId } : {}),
    ...(check.versionHash ? { versionHash: check.versionHash } : {}),
    details: { reason: decision.message, ...(decision.rule ? { rule: decision.rule } : {}), via: actor.via, ...(check.details ?? {}) },
  });
}

/**
 * Asks the ability and records nothing: for checks the system makes of itself (an open stream
 * asking whether its reader still may), which are not something a person tried.
 */
export async function evaluate(actor: Actor, check: Check): Promise<{ ability: AppAbility; decision: Decision }> {
  const ability = check.ability ?? (await abilityFor(actor));
  const decision = decide(ability, actor.user.role, check.action, check.subjectType, check.subject ?? check.subjectType, check.label);
  return { ability, decision };
}

/** Asks the ability; a refusal is recorded in the audit log and thrown as a 403 naming the rule. */
export async function authorize(db: Db, actor: Actor, check: Check): Promise<AppAbility> {
  const { ability, decision } = await evaluate(actor, check);
  if (decision.allowed) return ability;
  await recordDenial(db, actor, check, decision);
  throw forbidden(decision.message);
}

/**
 * For reading one thing by id: what the actor may not view answers exactly like what does not
 * exist (404), so ids cannot be probed. The refusal is still audited.
 */
export async function authorizeVisible(db: Db, actor: Actor, check: Check & { notFoundMessage: string }): Promise<AppAbility> {
  const { ability, decision } = await evaluate(actor, check);
  if (decision.allowed) return ability;
  await recordDenial(db, actor, check, decision);
  throw notFound(check.notFoundMessage);
}
