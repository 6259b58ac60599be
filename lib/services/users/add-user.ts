import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../../audit/record";
import type { Db } from "../../db/client";
import { roles, users } from "../../db/schema";
import { AppError, invalidInput } from "../../errors";
import { hashPassword } from "./password";

export const newUserSchema = z.object({
  email: z.email("must be an email address").transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1, "must not be empty").max(200),
  role: z.enum(roles, { message: `must be one of: ${roles.join(", ")}` }),
  password: z.string().min(8, "must be at least 8 characters").max(1024),
});
export type NewUser = z.input<typeof newUserSchema>;

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: (typeof roles)[number];
}

export async function addUser(db: Db, input: NewUser, by: AuditActor): Promise<UserDto> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "input");
    throw invalidInput(field, `${field} ${issue?.message ?? "is invalid"}`);
  }
  const { email, name, role, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) throw new AppError("conflict", `a user with email ${email} already exists`);
    const [created] = await tx.insert(users).values({ email, name, role, passwordHash }).returning();
    if (!created) throw new Error("user insert returned nothing");
    await recordAudit(tx, {
      actor: by,
      action: "user.created",
      outcome: "success",
      subjectType: "user",
      subjectId: created.id,
      details: { after: { email, name, role } },
    });
    return { id: created.id, email, name, role };
  });
}
