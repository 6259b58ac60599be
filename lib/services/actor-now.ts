import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { users, type RequestChannel } from "../db/schema";
import type { Actor } from "./actor";
import { teamNamesOf } from "./users/team-names";

/**
 * A person as they are now, for a request the system makes on their behalf later (a runbook step, a
 * schedule's fire): their current role and teams, or why they can request nothing more.
 */
export async function personNow(db: Db, userId: string, via: RequestChannel): Promise<Actor | string> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.active) return `${user?.email ?? "the requester"} is no longer active`;
  return { user: { id: user.id, email: user.email, name: user.name, role: user.role, teams: await teamNamesOf(db, user.id), kind: user.kind }, via };
}
