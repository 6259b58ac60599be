import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { teamMembers, teams } from "../../db/schema";

/** The names of the teams a user belongs to; policies and conditions refer to teams by name. */
export async function teamNamesOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ name: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teams.name));
  return rows.map((row) => row.name);
}
