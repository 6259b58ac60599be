import type { Db } from "../db/client";
import { recordAudit } from "../audit/record";
import { forbidden } from "../errors";
import { denialReason, type Action, type AppAbility, type SubjectType } from "../policy/ability";
import { abilityFor, auditActorOf, type Actor } from "./actor";

interface Check {
  action: Action;
  subjectType: SubjectType;
  /** The subject tagged with its type (asRunbook/asRun), or omitted to ask about the type as a whole. */
  subject?: Parameters<AppAbility["can"]>[1];
  subjectId?: string;
  label?: string;
  versionHash?: string;
  details?: Record<string, unknown>;
}

/** Asks the ability; a refusal is recorded in the audit log and thrown as a 403 naming the rule. */
export async function authorize(db: Db, actor: Actor, check: Check): Promise<void> {
  const ability = await abilityFor(actor);
  if (ability.can(check.action, check.subject ?? check.subjectType)) return;
  const reason = denialReason(actor.user.role, check.action, check.subjectType, check.label);
  await recordAudit(db, {
    actor: auditActorOf(actor),
    action: `${check.subjectType.toLowerCase()}.${check.action}`,
    outcome: "denied",
    subjectType: check.subjectType.toLowerCase(),
    ...(check.subjectId ? { subjectId: check.subjectId } : {}),
    ...(check.versionHash ? { versionHash: check.versionHash } : {}),
    details: { reason, via: actor.via, ...check.details },
  });
  throw forbidden(reason);
}
