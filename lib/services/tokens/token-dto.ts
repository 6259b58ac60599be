import type { apiTokens } from "../../db/schema";

/** What anyone may see of a token: never its hash, never the token itself. */
export interface TokenDto {
  id: string;
  label: string;
  prefix: string;
  user: { id: string; email: string };
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type TokenRow = Pick<typeof apiTokens.$inferSelect, "id" | "label" | "prefix" | "createdAt" | "lastUsedAt" | "revokedAt" | "userId">;

export function toTokenDto(row: TokenRow, email: string): TokenDto {
  return {
    id: row.id,
    label: row.label,
    prefix: row.prefix,
    user: { id: row.userId, email },
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
