import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsOf } from "../db/client";
import { webhookDeliveries } from "../db/schema";

/** Sent once per token, this long before it expires, so a pipeline's owner can replace it in time. */
export const TOKEN_EXPIRY_WARNING_DAYS = 7;
export const TOKEN_EXPIRING_EVENT = "token.expiring";

export interface TokenExpiringPayload {
  event: typeof TOKEN_EXPIRING_EVENT;
  at: string;
  url: string;
  token: {
    id: string;
    label: string;
    prefix: string;
    scopes: string[];
    expiresAt: string;
    user: { email: string; name: string; serviceAccount: boolean };
  };
}

interface ExpiringRow {
  id: string;
  label: string;
  prefix: string;
  scopes: string[];
  expires_at: Date | string;
  email: string;
  name: string;
  kind: string;
  teams: string[];
}

/**
 * Marks every live token that expires within a week and was not warned about yet, and queues a
 * `token.expiring` event for each to the webhooks that want it: those for every runbook, and
 * those of the token owner's teams. The mark and the deliveries commit together, so with any
 * number of workers each token is announced once.
 */
export async function queueTokenExpiryWarnings(db: Db, publicUrl: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const expiring = rowsOf<ExpiringRow>(
      await tx.execute(sql`
        with warned as (
          update api_tokens set expiry_warned_at = now()
          where expiry_warned_at is null and revoked_at is null
            and expires_at > now() and expires_at <= now() + make_interval(days => ${TOKEN_EXPIRY_WARNING_DAYS})
          returning id, label, prefix, scopes, expires_at, user_id)
        select warned.id, warned.label, warned.prefix, warned.scopes, warned.expires_at, u.email, u.name, u.kind,
          coalesce((select json_agg(t.name) from team_members m join teams t on t.id = m.team_id where m.user_id = u.id), '[]'::json) as teams
        from warned join users u on u.id = warned.user_id where u.active`),
    );
    if (expiring.length === 0) return [];
    const hooks = rowsOf<{ id: string; owner: string | null }>(
      await tx.execute(sql`select id, owner from webhooks where active and events @> ${JSON.stringify([TOKEN_EXPIRING_EVENT])}::jsonb`),
    );
    const deliveries = expiring.flatMap((row) => {
      const payload: TokenExpiringPayload = {
        event: TOKEN_EXPIRING_EVENT,
        at: new Date().toISOString(),
        url: `${publicUrl}/tokens`,
        token: {
          id: row.id,
          label: row.label,
          prefix: row.prefix,
          scopes: row.scopes,
          expiresAt: new Date(row.expires_at).toISOString(),
          user: { email: row.email, name: row.name, serviceAccount: row.kind === "service" },
        },
      };
      return hooks
        .filter((hook) => hook.owner === null || row.teams.includes(hook.owner))
        .map((hook) => ({ webhookId: hook.id, event: TOKEN_EXPIRING_EVENT, runId: null, payload: payload as unknown as Record<string, unknown> }));
    });
    if (deliveries.length > 0) await tx.insert(webhookDeliveries).values(deliveries);
    return expiring.map((row) => row.id);
  });
}
