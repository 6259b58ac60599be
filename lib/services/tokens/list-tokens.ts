import { z } from "zod";
import { and, desc, eq } from "drizzle-orm";
import { database } from "../../db";
import { apiTokens, users } from "../../db/schema";
import { abilityFor } from "../actor";
import { asToken } from "../../policy/ability";
import { visibleTokens } from "../access/visible";
import { authorizeCaller, isActor, type Caller } from "../caller";
import { parseInput } from "../fields";
import { emailField, loadUserByEmail } from "../users/user-fields";
import { toTokenDto, tokenDtoColumns, type TokenDto } from "./token-dto";

export const listTokensInput = z.object({ email: emailField.optional() }).strict();
export type ListTokensInput = z.input<typeof listTokensInput>;

/**
 * Tokens, newest first, filtered in the query by the caller's rules: administrators (and the CLI)
 * see everyone's, or one user's with `email`; everyone else sees only their own, and asking for
 * someone else's is refused.
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
  }
  const visible = isActor(caller) ? visibleTokens(await abilityFor(caller)) : undefined;
  const rows = await db
    .select({ token: tokenDtoColumns(apiTokens), owner: { email: users.email, kind: users.kind } })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(visible, userId ? eq(apiTokens.userId, userId) : undefined))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(({ token, owner }) => toTokenDto(token, owner));
}
