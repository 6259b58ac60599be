import { randomBytes } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import { notFound } from "../../errors";
import { sha256Hex } from "../../hashing";
import type { Actor } from "../actor";
import { teamNamesColumn } from "../users/team-names";

const TOKEN_PREFIX = "hr_";

export interface CreatedToken {
  id: string;
  token: string;
  label: string;
  email: string;
}

/** Tokens are long random strings; only their sha256 is stored, so a lookup is one indexed query. */
export async function createToken(db: Db, input: { email: string; label?: string | undefined }, by: AuditActor): Promise<CreatedToken> {
  const email = input.email.trim().toLowerCase();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  if (!user) throw notFound(`no user with email ${email}`);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const label = input.label?.trim() || "cli";
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({ userId: user.id, label, tokenHash: sha256Hex(token), prefix: token.slice(0, 10) })
      .returning({ id: apiTokens.id });
    if (!created) throw new Error("token insert returned nothing");
    await recordAudit(tx, {
      actor: by,
      action: "token.created",
      outcome: "success",
      subjectType: "token",
      subjectId: created.id,
      details: { user: email, label, prefix: token.slice(0, 10) },
    });
    return { id: created.id, token, label, email };
  });
}

/** Resolves a bearer token to its (active) user, or null. */
export async function authenticateToken(
  token: string,
  request: { ip?: string | undefined; userAgent?: string | undefined } = {},
): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const { db } = await database();
  const [row] = await db
    .select({ tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, user: users, teams: teamNamesColumn() })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sha256Hex(token)), isNull(apiTokens.revokedAt)));
  if (!row || !row.user.active) return null;
  // Recorded at most once a minute, so API traffic does not turn every request into a write.
  const staleBefore = new Date(Date.now() - 60_000);
  if (row.lastUsedAt === null || row.lastUsedAt < staleBefore) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore))));
  }
  const { id, email, name, role } = row.user;
  return {
    user: { id, email, name, role, teams: row.teams },
    via: "api",
    tokenId: row.tokenId,
    ...(request.ip ? { ip: request.ip } : {}),
    ...(request.userAgent ? { userAgent: request.userAgent } : {}),
  };
}
