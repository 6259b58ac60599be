import type { AuditActor } from "../audit/record";
import { database } from "../db";
import { loadActivePolicies } from "./policies/active-policies";
import type { Role } from "../db/schema";
import { defineAbilityFor, type AppAbility } from "../policy/ability";

export interface ActorUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Names of the teams the user belongs to. */
  teams: string[];
}

/** Who is asking, and through which door. Every service takes one. */
export interface Actor {
  user: ActorUser;
  via: "web" | "api" | "cli";
  tokenId?: string;
  ip?: string;
  userAgent?: string;
}

export function auditActorOf(actor: Actor): AuditActor {
  return {
    type: actor.tokenId ? "token" : "user",
    id: actor.tokenId ? `${actor.user.id} (token ${actor.tokenId})` : actor.user.id,
    email: actor.user.email,
    ...(actor.ip ? { ip: actor.ip } : {}),
    ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
  };
}

/** The actor's ability under the policies in force, read from the database on every check. */
export async function abilityFor(actor: Actor): Promise<AppAbility> {
  const { db } = await database();
  return defineAbilityFor(actor.user, await loadActivePolicies(db));
}
