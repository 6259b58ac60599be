import type { AuditActor } from "../audit/record";
import type { Db } from "../db/client";
import { auditActorOf, type Actor } from "./actor";
import { authorize } from "./authorize";

/**
 * Who calls an administrative service: a signed-in or token actor, checked against policy, or
 * the CLI — someone with shell access to the server — which is not policy-checked but audited.
 */
export type SystemCaller = AuditActor & { type: "system" };
export type Caller = Actor | SystemCaller;

export function isActor(caller: Caller): caller is Actor {
  return "user" in caller;
}

export function auditActorOfCaller(caller: Caller): AuditActor {
  return isActor(caller) ? auditActorOf(caller) : caller;
}

/** The policy gate for actors; the CLI passes through (it is audited by the service itself). */
export async function authorizeCaller(db: Db, caller: Caller, check: Parameters<typeof authorize>[2]): Promise<void> {
  if (isActor(caller)) await authorize(db, caller, check);
}

/** The caller's user id, when the caller is a user. */
export function callerUserId(caller: Caller): string | undefined {
  return isActor(caller) ? caller.user.id : undefined;
}

/** For the CLI: its audit identity as a caller. Only a system identity may skip the policy check. */
export function asSystemCaller(actor: AuditActor): SystemCaller {
  if (actor.type !== "system") throw new Error(`only a system caller may act without a user (got ${actor.type})`);
  return { ...actor, type: "system" };
}
