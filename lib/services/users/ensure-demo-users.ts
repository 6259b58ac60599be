import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users, type Role } from "../../db/schema";
import { addUser } from "./add-user";

export const DEMO_PASSWORD = "handrail-demo";

export interface DemoCredential {
  role: Role;
  email: string;
  password: string;
}

export interface DemoUser extends DemoCredential {
  name: string;
}

/** One user per role, and a second operator so four-eyes approvals can be tried out. */
export const demoUsers: DemoUser[] = [
  { role: "admin", email: "admin@handrail.local", name: "Ada Admin", password: DEMO_PASSWORD },
  { role: "operator", email: "operator@handrail.local", name: "Olu Operator", password: DEMO_PASSWORD },
  { role: "operator", email: "operator2@handrail.local", name: "Omar Operator", password: DEMO_PASSWORD },
  { role: "developer", email: "developer@handrail.local", name: "Dana Developer", password: DEMO_PASSWORD },
  { role: "auditor", email: "auditor@handrail.local", name: "Ari Auditor", password: DEMO_PASSWORD },
];
export const demoCredentials: DemoCredential[] = demoUsers.map(({ role, email, password }) => ({ role, email, password }));

/** Creates the demo users when the database has no users at all; returns what it created. */
export async function ensureDemoUsers(db: Db): Promise<DemoCredential[]> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  if ((count?.n ?? 0) > 0) return [];
  for (const user of demoUsers) await addUser(db, user, { type: "system", id: "demo-setup" });
  return demoCredentials;
}
