import type { AuditActor } from "../audit/record";
import { database } from "../db";
import { loadActivePolicies } from "./policies/active-policies";
import type { RequestChannel, Role, UserKind } from "../db/schema";
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
  via: RequestChannel;
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

/** Abilities of actors resolved for one request, built on first use and shared by every check of that request. */
const requestAbilities = new WeakMap<Actor, Promise<AppAbility> | null>();

/**
 * Marks an actor as resolved for one request (by lib/auth): the layout, the page and every service
 * it calls then share one ability instead of each reading the policies again. The request is
 * short, so a policy saved meanwhile applies from the next request.
 */
export function forOneRequest(actor: Actor): Actor {
  requestAbilities.set(actor, null);
  return actor;
}

async function buildAbility(actor: Actor): Promise<AppAbility> {
  const { db } = await database();
  const rules = compileRules(await loadActivePolicies(db), actor.user);
  return actor.scopes ? abilityWithinScopes(rules, actor.scopes) : abilityFromRules(rules);
}

/** The actor's ability under the policies in force, cut to a token's scopes: once per request, else on every call. */
export async function abilityFor(actor: Actor): Promise<AppAbility> {
  if (!requestAbilities.has(actor)) return buildAbility(actor);
  let built = requestAbilities.get(actor);
  if (!built) {
    built = buildAbility(actor);
    requestAbilities.set(actor, built);
    // A failed build (the database was unreachable) is not remembered.
    built.catch(() => requestAbilities.set(actor, null));
  }
  return built;
}
