import { eq, lt, sql } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { endedSessions, users } from "../../db/schema";
import type { ActorUser } from "../actor";
import { teamNamesOf } from "./team-names";

/** How long a browser session lasts at most (the JWT's lifetime). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** What a browser session's cookie says about itself. */
export interface SessionClaims {
  userId: string;
  /** Absent in a cookie from before sessions could end; it ends at the user's next session-ending change. */
  sessionId?: string | undefined;
  sessionVersion?: number | undefined;
}

/**
 * The user a browser session acts for, as they are now, or null when the session has ended: the
 * user is deactivated, their session version moved on (password reset, role change), or this
 * session signed out. One query, on every request.
 */
export async function sessionUser(claims: SessionClaims): Promise<ActorUser | null> {
  const { db } = await database();
  const ended = claims.sessionId
    ? sql<boolean>`exists (select 1 from ${endedSessions} where ${endedSessions.sessionId} = ${claims.sessionId})`
    : sql<boolean>`false`;
  const [row] = await db.select({ user: users, ended }).from(users).where(eq(users.id, claims.userId));
  // A service account never has a browser session, whatever a cookie claims.
  if (!row || !row.user.active || row.user.kind === "service" || row.ended || row.user.sessionVersion !== (claims.sessionVersion ?? 0)) return null;
  const { user } = row;
  return { id: user.id, email: user.email, name: user.name, role: user.role, teams: await teamNamesOf(db, user.id) };
}

/** The current session version of a user, written into a new session's cookie. */
export async function currentSessionVersion(userId: string): Promise<number> {
  const { db } = await database();
  const [row] = await db.select({ version: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row?.version ?? 0;
}

/** Signing out: this session's cookie no longer works, even if someone kept a copy. */
export async function endSession(sessionId: string, userId: string | undefined, expiresAt: Date): Promise<void> {
  const { db } = await database();
  await db.transaction(async (tx) => {
    await tx.delete(endedSessions).where(lt(endedSessions.expiresAt, new Date()));
    await tx.insert(endedSessions).values({ sessionId, userId: userId ?? null, expiresAt }).onConflictDoNothing();
  });
}

/** Ends every browser session of a user, in the caller's transaction (API tokens are not affected). */
export async function endAllSessions(tx: Db, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}
