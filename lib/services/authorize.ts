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

export interface Denial {
  /** The audit action, such as `run.approved` or `runbook.run`. */
  action: string;
  subjectType: string;
  subjectId?: string | undefined;
  versionHash?: string | undefined;
  reason: string;
  details?: Record<string, unknown> | undefined;
}

/** The one way a refusal of something a person tried is written to the audit log. */
export async function recordDenial(db: Db, actor: Actor, denial: Denial): Promise<void> {
  await recordAudit(db, {
    actor: auditActorOf(actor),
    action: denial.action,
    outcome: "denied",
    subjectType: denial.subjectType,
    ...(denial.subjectId ? { subjectId: denial.subjectId } : {}),
    ...(denial.versionHash ? { versionHash: denial.versionHash } : {}),
    details: { reason: denial.reason, via: actor.via, ...(denial.details ?? {}) },
  });
}

function recordRefusedCheck(db: Db, actor: Actor, check: Check, decision: Decision): Promise<void> {
  return recordDenial(db, actor, {
    action: `${check.subjectType.toLowerCase()}.${check.action}`,
    subjectType: check.subjectType.toLowerCase(),
    subjectId: check.subjectId,
    versionHash: check.versionHash,
    reason: decision.message,
    details: { ...(decision.rule ? { rule: decision.rule } : {}), ...(check.details ?? {}) },
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
  await recordRefusedCheck(db, actor, check, decision);
  throw forbidden(decision.message);
}

/**
 * For reading one thing by id: what the actor may not view answers exactly like what does not
 * exist (404), so ids cannot be probed. The refusal is still audited.
 */
export async function authorizeVisible(db: Db, actor: Actor, check: Check & { notFoundMessage: string }): Promise<AppAbility> {
  const { ability, decision } = await evaluate(actor, check);
  if (decision.allowed) return ability;
  await recordRefusedCheck(db, actor, check, decision);
  throw notFound(check.notFoundMessage);
}

/** One loaded thing, as the checks on it name it. */
export type LoadedThing = Omit<Check, "action" | "ability"> & { notFoundMessage: string };

/**
 * The one "load, then authorise" step for a thing already loaded: may the actor see it (else 404,
 * exactly like a missing one), then, when an action is given, do it (else 403 naming the rule or
 * scope). Both refusals are audited. Returns the ability, for the checks that follow.
 */
export async function authorizeLoaded(db: Db, actor: Actor, thing: LoadedThing, action?: Action, known?: AppAbility): Promise<AppAbility> {
  const ability = await authorizeVisible(db, actor, { ...thing, action: "view", ...(known ? { ability: known } : {}) });
  return action ? authorize(db, actor, { ...thing, action, ability }) : ability;
}
