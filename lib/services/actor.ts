import type { AuditActor } from "../audit/record";
import { database } from "../db";
import { loadActivePolicies } from "./policies/active-policies";
import type { Role, UserKind } from "../db/schema";
import { abilityFromRules, compileRules, type AppAbility } from "../policy/ability";
import { abilityWithinScopes, type TokenScope } from "../policy/scopes";

export interface ActorUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Names of the teams the user belongs to. */
  teams: string[];
  /** A service account acts only through tokens; absent means a person. */
  kind?: UserKind;
}

/** Who is asking, and through which door. Every service takes one. */
export interface Actor {
  user: ActorUser;
  via: "web" | "api" | "cli";
  tokenId?: string;
  /** A token's scopes: what it may do within the user's rights. Absent for a browser session. */
  scopes?: readonly TokenScope[];
  ip?: string;
  userAgent?: string;
}

export function auditActorOf(actor: Actor): AuditActor {
  return {
    type: actor.user.kind === "service" ? "service" : actor.tokenId ? "token" : "user",
    id: actor.tokenId ? `${actor.user.id} (token ${actor.tokenId})` : actor.user.id,
    email: actor.user.email,
    ...(actor.ip ? { ip: actor.ip } : {}),
    ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
  };
}

/** The actor's ability under the policies in force, read from the database on every check, cut to a token's scopes. */
export async function abilityFor(actor: Actor): Promise<AppAbility> {
  const { db } = await database();
  const rules = compileRules(await loadActivePolicies(db), actor.user);
  return actor.scopes ? abilityWithinScopes(rules, actor.scopes) : abilityFromRules(rules);
}
