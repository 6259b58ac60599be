import { and, asc, eq } from "drizzle-orm";
import { database } from "../../db";
import { users } from "../../db/schema";
import { asToken } from "../../policy/ability";
import { scopesAllowedBy, type TokenScope } from "../../policy/scopes";
import { abilityFor, type Actor } from "../actor";
import { tokenLifetimeLimits } from "./issue-token";

export interface TokenChoices {
  /** The scopes the actor's own rights allow: a new token of theirs gets these unless fewer are chosen. */
  scopes: TokenScope[];
  defaultDays: number;
  maxDays: number;
  /** Active service accounts the actor may issue tokens for (administrators). */
  serviceAccounts: Array<{ email: string; name: string; role: string }>;
}

/** What the Tokens page offers when creating a token. Asks the ability without recording: nobody tried anything yet. */
export async function tokenChoicesFor(actor: Actor): Promise<TokenChoices> {
  const { db } = await database();
  const ability = await abilityFor(actor);
  const accounts = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.kind, "service"), eq(users.active, true)))
    .orderBy(asc(users.email));
  return {
    scopes: scopesAllowedBy(ability.rules),
    ...tokenLifetimeLimits(),
    serviceAccounts: accounts
      .filter((account) => ability.can("manage", asToken({ id: "new", userId: account.id })))
      .map(({ email, name, role }) => ({ email, name, role })),
  };
}
