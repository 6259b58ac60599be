import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { teamMembers, teams, users } from "../../db/schema";

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

/** Every user's team names in one query, for lists of users. */
export async function teamNamesByUser(db: Db): Promise<Map<string, string[]>> {
  const memberships = await db
    .select({ userId: teamMembers.userId, team: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .orderBy(asc(teams.name));
  const byUser = new Map<string, string[]>();
  for (const { userId, team } of memberships) byUser.set(userId, [...(byUser.get(userId) ?? []), team]);
  return byUser;
}

/** The same names as a column of a query on `users`, so loading a user and their teams is one statement. */
export function teamNamesColumn(): SQL<string[]> {
  return sql<string[]>`coalesce((select json_agg(${teams.name} order by ${teams.name}) from ${teamMembers} inner join ${teams} on ${teams.id} = ${teamMembers.teamId} where ${teamMembers.userId} = ${users.id}), '[]'::json)`;
}
