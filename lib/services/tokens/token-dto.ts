import type { apiTokens, UserKind } from "../../db/schema";
import type { TokenScope } from "../../policy/scopes";

/** What anyone may see of a token: never its hash, never the token itself. */
export interface TokenDto {
  id: string;
  label: string;
  prefix: string;
  user: { id: string; email: string; kind: UserKind };
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string;
  /** True once expiresAt has passed: the token no longer authenticates. */
  expired: boolean;
  lastUsedAt: string | null;
  /** The client address of the last use. */
  lastUsedIp: string | null;
  revokedAt: string | null;
}

export type TokenRow = Pick<
  typeof apiTokens.$inferSelect,
  "id" | "label" | "prefix" | "createdAt" | "lastUsedAt" | "lastUsedIp" | "revokedAt" | "userId" | "scopes" | "expiresAt"
>;

/** The columns toTokenDto reads, for queries that select them. */
export const tokenDtoColumns = (table: typeof apiTokens) => ({
  id: table.id,
  label: table.label,
  prefix: table.prefix,
  userId: table.userId,
  scopes: table.scopes,
  createdAt: table.createdAt,
  expiresAt: table.expiresAt,
  lastUsedAt: table.lastUsedAt,
  lastUsedIp: table.lastUsedIp,
  revokedAt: table.revokedAt,
});

export function toTokenDto(row: TokenRow, owner: { email: string; kind: UserKind }): TokenDto {
  return {
    id: row.id,
    label: row.label,
    prefix: row.prefix,
    user: { id: row.userId, email: owner.email, kind: owner.kind },
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    expired: row.expiresAt.getTime() <= Date.now(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
