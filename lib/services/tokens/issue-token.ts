import { z } from "zod";
import { database } from "../../db";
import { config } from "../../config/env";
import { forbidden, invalidInput } from "../../errors";
import { asToken, compileRules } from "../../policy/ability";
import { normaliseScopes, scopesAllowedBy, tokenScopes, type TokenScope } from "../../policy/scopes";
import { loadActivePolicies } from "../policies/active-policies";
import { auditActorOfCaller, authorizeCaller, isActor, type Caller } from "../caller";
import { parseInput } from "../fields";
import { teamNamesOf } from "../users/team-names";
import { emailField, loadUserByEmail } from "../users/user-fields";
import { createToken, type CreatedToken } from "./tokens";

/** New tokens live this long unless a shorter maximum is configured or another lifetime is chosen. */
export const DEFAULT_TOKEN_DAYS = 90;

export const issueTokenInput = z
  .object({
    label: z.string({ message: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
    email: emailField.optional(),
    scopes: z
      .array(z.enum(tokenScopes, { message: `must be among: ${tokenScopes.join(", ")}` }), { error: "must be a list of scopes" })
      .min(1, `choose at least one of: ${tokenScopes.join(", ")}`)
      .max(tokenScopes.length)
      .optional(),
    expiresInDays: z.coerce.number({ message: "must be a whole number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").optional(),
  })
  .strict();
export type IssueTokenInput = z.input<typeof issueTokenInput>;

export function tokenLifetimeLimits(): { defaultDays: number; maxDays: number } {
  const maxDays = config().tokenMaxDays;
  return { defaultDays: Math.min(DEFAULT_TOKEN_DAYS, maxDays), maxDays };
}

/**
 * Creates an API token for the caller (or, with `email`, for another user — a service account,
 * say — when the caller may manage that user's tokens). Without `scopes` it gets every scope its
 * user's rights allow; it never gets more, nor more than the token that asks for it. The token is
 * returned once; only its hash is stored.
 */
export async function issueToken(caller: Caller, input: IssueTokenInput): Promise<CreatedToken> {
  const { db } = await database();
  const { label, email, scopes, expiresInDays } = parseInput(issueTokenInput, input);
  const ownerEmail = email ?? (isActor(caller) ? caller.user.email : undefined);
  if (!ownerEmail) throw invalidInput("email", "email is required");
  const owner = await loadUserByEmail(db, ownerEmail);
  if (!owner.active) throw invalidInput("email", `user ${ownerEmail} is deactivated`);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Token", subject: asToken({ id: "new", userId: owner.id }), label: `for ${ownerEmail}` });

  const { defaultDays, maxDays } = tokenLifetimeLimits();
  if (expiresInDays !== undefined && expiresInDays > maxDays) {
    throw invalidInput("expiresInDays", `expiresInDays must be at most ${maxDays} (HANDRAIL_TOKEN_MAX_DAYS)`);
  }
  const allowed = scopesAllowedBy(compileRules(await loadActivePolicies(db), { ...owner, teams: await teamNamesOf(db, owner.id) }));
  const chosen = scopes ? normaliseScopes(scopes) : allowed;
  const beyondRole = chosen.filter((scope) => !allowed.includes(scope));
  if (beyondRole.length > 0) {
    throw invalidInput("scopes", `scopes ${beyondRole.join(", ")} give ${ownerEmail} nothing their rights allow (allowed: ${allowed.join(", ")})`);
  }
  const beyondCaller = isActor(caller) && caller.scopes ? chosen.filter((scope: TokenScope) => !caller.scopes?.includes(scope) && scope !== "read") : [];
  if (beyondCaller.length > 0) throw forbidden(`a token cannot create a token with scopes it lacks: ${beyondCaller.join(", ")}`);

  return createToken(db, { owner, label, scopes: chosen, expiresInDays: expiresInDays ?? defaultDays }, auditActorOfCaller(caller));
}
