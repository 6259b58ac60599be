import { asc, eq } from "drizzle-orm";
import { database } from "../../db";
import { teamMembers, teams, users } from "../../db/schema";
import { authorizeCaller, type Caller } from "../caller";

export interface TeamSummary {
  id: string;
  name: string;
  description: string;
  members: { email: string; name: string; active: boolean }[];
}

export async function listTeams(caller: Caller): Promise<TeamSummary[]> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team" });
  const rows = await db.select().from(teams).orderBy(asc(teams.name));
  const members = await db
    .select({ teamId: teamMembers.teamId, email: users.email, name: users.name, active: users.active })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .orderBy(asc(users.email));
  return rows.map((team) => ({
    id: team.id,
    name: team.name,
    description: team.description,
    members: members.filter((member) => member.teamId === team.id).map(({ email, name, active }) => ({ email, name, active })),
  }));
}
