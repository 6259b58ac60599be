import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import { AppError, notFound } from "../../errors";
import { asToken } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../caller";
import { parseInput } from "../fields";
import { toTokenDto, type TokenDto } from "./token-dto";

export const revokeTokenInput = z.object({ id: z.uuid("must be a token id (a UUID)") });
export type RevokeTokenInput = z.input<typeof revokeTokenInput>;

async function loadToken(db: Db, id: string, lock = false) {
  const query = db
    .select({ token: apiTokens, email: users.email, kind: users.kind })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.id, id));
  const [row] = lock ? await query.for("update", { of: apiTokens }) : await query;
  if (!row) throw notFound(`no token with id ${id}`);
  return row;
}

/** Revokes a token at once: the owner may revoke their own, administrators any. */
export async function revokeToken(caller: Caller, input: RevokeTokenInput): Promise<TokenDto> {
  const { db } = await database();
  const { id } = parseInput(revokeTokenInput, input);
  const found = await loadToken(db, id);
  await authorizeCaller(db, caller, {
    action: "manage",
    subjectType: "Token",
    subject: asToken({ id, userId: found.token.userId }),
    subjectId: id,
    label: `${found.token.prefix}… of ${found.email}`,
  });
  return db.transaction(async (tx) => {
    const { token, email, kind } = await loadToken(tx, id, true);
    if (token.revokedAt) throw new AppError("conflict", `token ${token.prefix}… was already revoked at ${token.revokedAt.toISOString()}`);
    const revokedAt = new Date();
    await tx.update(apiTokens).set({ revokedAt }).where(eq(apiTokens.id, id));
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "token.revoked",
      outcome: "success",
      subjectType: "token",
      subjectId: id,
      details: { user: email, label: token.label, prefix: token.prefix, before: { revokedAt: null }, after: { revokedAt: revokedAt.toISOString() } },
    });
    return toTokenDto({ ...token, revokedAt }, { email, kind });
  });
}
