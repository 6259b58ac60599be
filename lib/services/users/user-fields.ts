import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { roles, users } from "../../db/schema";
import { notFound } from "../../errors";

export { roles };
export type { Role } from "../../db/schema";

export const emailField = z
  .string({ message: "is required" })
  .trim()
  .min(1, "is required")
  .pipe(z.email("must be an email address"))
  .transform((email) => email.toLowerCase());

export const roleField = z.enum(roles, { message: `must be one of: ${roles.join(", ")}` });

export const passwordField = z
  .string({ message: "is required" })
  .min(8, "must be at least 8 characters")
  .max(1024, "must be at most 1024 characters");

export type UserRow = typeof users.$inferSelect;

/** Loads a user by email (locking the row inside a transaction), or throws not_found. */
export async function loadUserByEmail(db: Db, email: string, options: { lock?: boolean } = {}): Promise<UserRow> {
  const query = db.select().from(users).where(eq(users.email, email));
  const [user] = options.lock ? await query.for("update") : await query;
  if (!user) throw notFound(`no user with email ${email}`);
  return user;
}
