import { asc } from "drizzle-orm";
import { database } from "../../db";
import { users } from "../../db/schema";
import { authorizeCaller, type Caller } from "../caller";
import { teamNamesByUser } from "./team-names";
import type { Role } from "./user-fields";
import type { UserKind } from "../../db/schema";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  kind: UserKind;
  active: boolean;
  teams: string[];
  createdAt: string;
}

/** Every user with their teams, for administrators. Never includes password hashes. */
export async function listUsers(caller: Caller): Promise<UserSummary[]> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User" });
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, kind: users.kind, active: users.active, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.email));
  const teamsByUser = await teamNamesByUser(db);
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), teams: teamsByUser.get(row.id) ?? [] }));
}
