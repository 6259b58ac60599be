import { z } from "zod";
import { desc, eq } from "drizzle-orm";
import { database } from "../../db";
import { apiTokens, users } from "../../db/schema";
import { abilityFor } from "../actor";
import { asToken } from "../../policy/ability";
import { authorizeCaller, isActor, managesEveryToken, type Caller } from "../users/caller";
import { parseInput } from "../users/parse-input";
import { emailField, loadUserByEmail } from "../users/user-fields";
import { toTokenDto, type TokenDto } from "./token-dto";

export const listTokensInput = z.object({ email: emailField.optional() }).strict();
export type ListTokensInput = z.input<typeof listTokensInput>;

/**
 * Tokens, newest first. Administrators (and the CLI) see everyone's, or one user's with `email`;
 * everyone else sees only their own, and asking for someone else's is refused.
 */
export async function listTokens(caller: Caller, input: ListTokensInput = {}): Promise<TokenDto[]> {
  const { db } = await database();
  const { email } = parseInput(listTokensInput, input);
  let userId: string | undefined;
  if (email) {
    const owner = await loadUserByEmail(db, email);
    userId = owner.id;
    await authorizeCaller(db, caller, {
      action: "manage",
      subjectType: "Token",
      subject: asToken({ id: "*", userId: owner.id }),
      label: `of ${email}`,
    });
  } else if (!(await managesEveryToken(caller)) && isActor(caller)) {
    userId = caller.user.id;
  }
  const query = db
    .select({ token: { id: apiTokens.id, label: apiTokens.label, prefix: apiTokens.prefix, userId: apiTokens.userId, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt }, email: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  const rows = userId ? await query.where(eq(apiTokens.userId, userId)) : await query;
  // Belt and braces: whatever the query returned, show only what the ability allows.
  const ability = isActor(caller) ? await abilityFor(caller) : null;
  return rows
    .filter(({ token }) => !ability || ability.can("manage", asToken({ id: token.id, userId: token.userId })))
    .map(({ token, email: owner }) => toTokenDto(token, owner));
}
