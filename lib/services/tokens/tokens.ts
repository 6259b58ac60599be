import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import { sha256Hex } from "../../hashing";
import type { TokenScope } from "../../policy/scopes";
import type { Actor } from "../actor";
import { teamNamesColumn } from "../users/team-names";

const TOKEN_PREFIX = "hr_";
const DAY_MS = 86_400_000;

export interface CreatedToken {
  id: string;
  token: string;
  label: string;
  email: string;
  scopes: TokenScope[];
  expiresAt: string;
}

export interface NewToken {
  owner: { id: string; email: string };
  label: string;
  scopes: TokenScope[];
  expiresInDays: number;
}

/** Tokens are long random strings; only their sha256 is stored, so a lookup is one indexed query. */
export async function createToken(db: Db, input: NewToken, by: AuditActor): Promise<CreatedToken> {
  const { owner, label, scopes } = input;
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({ userId: owner.id, label, tokenHash: sha256Hex(token), prefix: token.slice(0, 10), scopes, expiresAt })
      .returning({ id: apiTokens.id });
    if (!created) throw new Error("token insert returned nothing");
    await recordAudit(tx, {
      actor: by,
      action: "token.created",
      outcome: "success",
      subjectType: "token",
      subjectId: created.id,
      details: { user: owner.email, label, prefix: token.slice(0, 10), scopes, expiresAt: expiresAt.toISOString() },
    });
    return { id: created.id, token, label, email: owner.email, scopes, expiresAt: expiresAt.toISOString() };
  });
}

export interface TokenRequestContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export type TokenResolution = { actor: Actor } | { refusal: string };

/**
 * Resolves a bearer token to its (active) user with the token's scopes, or says why not. Only an
 * expired token is named as such; anything else (unknown, revoked, deactivated user) is one answer.
 */
export async function resolveToken(token: string, request: TokenRequestContext = {}): Promise<TokenResolution> {
  const invalid = { refusal: "a valid bearer token or session is required" };
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return invalid;
  const { db } = await database();
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      lastUsedIp: apiTokens.lastUsedIp,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      user: users,
      teams: teamNamesColumn(),
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sha256Hex(token)), isNull(apiTokens.revokedAt)));
  if (!row || !row.user.active) return invalid;
  if (row.expiresAt.getTime() <= Date.now()) {
    return { refusal: `this API token expired at ${row.expiresAt.toISOString()}; create a new one on the Tokens page (/tokens)` };
  }
  await recordUse(db, row.tokenId, row.lastUsedAt, row.lastUsedIp, request.ip ?? null);
  const { id, email, name, role, kind } = row.user;
  return {
    actor: {
      user: { id, email, name, role, teams: row.teams, kind },
      via: "api",
      tokenId: row.tokenId,
      scopes: row.scopes,
      ...(request.ip ? { ip: request.ip } : {}),
      ...(request.userAgent ? { userAgent: request.userAgent } : {}),
    },
  };
}

/** Recorded at most once a minute per address, so API traffic does not turn every request into a write. */
async function recordUse(db: Db, tokenId: string, lastUsedAt: Date | null, lastUsedIp: string | null, ip: string | null): Promise<void> {
  if (lastUsedAt !== null && lastUsedAt.getTime() > Date.now() - 60_000 && lastUsedIp === ip) return;
  await db.update(apiTokens).set({ lastUsedAt: new Date(), lastUsedIp: ip }).where(eq(apiTokens.id, tokenId));
}

/** The token's actor, or null when it does not authenticate (for callers that need no reason). */
export async function authenticateToken(token: string, request: TokenRequestContext = {}): Promise<Actor | null> {
  const resolved = await resolveToken(token, request);
  return "actor" in resolved ? resolved.actor : null;
}
