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

export const demoCredentials: DemoCredential[] = (["admin", "operator", "developer", "auditor"] as const).map((role) => ({
  role,
  email: `${role}@handrail.local`,
  password: DEMO_PASSWORD,
}));

const demoNames: Record<Role, string> = {
  admin: "Ada Admin",
  operator: "Olu Operator",
  developer: "Dana Developer",
  auditor: "Ari Auditor",
};

/** Creates one user per role when the database has no users at all; returns what it created. */
export async function ensureDemoUsers(db: Db): Promise<DemoCredential[]> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  if ((count?.n ?? 0) > 0) return [];
  for (const credential of demoCredentials) {
    await addUser(db, { ...credential, name: demoNames[credential.role] }, { type: "system", id: "demo-setup" });
  }
  return demoCredentials;
}
