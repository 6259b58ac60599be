import { asc, eq } from "drizzle-orm";
import { database } from "../../db";
import { teamMembers, teams, users } from "../../db/schema";
import { authorizeCaller, type Caller } from "./caller";
import type { Role } from "./user-fields";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  teams: string[];
  createdAt: string;
}

/** Every user with their teams, for administrators. Never includes password hashes. */
export async function listUsers(caller: Caller): Promise<UserSummary[]> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User" });
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, active: users.active, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.email));
  const memberships = await db
    .select({ userId: teamMembers.userId, team: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .orderBy(asc(teams.name));
  const teamsByUser = new Map<string, string[]>();
  for (const { userId, team } of memberships) teamsByUser.set(userId, [...(teamsByUser.get(userId) ?? []), team]);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), teams: teamsByUser.get(row.id) ?? [] }));
}
