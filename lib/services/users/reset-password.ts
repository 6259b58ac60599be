import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { users } from "../../db/schema";
import { asUser } from "../../policy/ability";
import { invalidInput } from "../../errors";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../caller";
import { hashPassword } from "./password";
import { endAllSessions } from "./sessions";
import { parseInput } from "../fields";
import { emailField, loadUserByEmail, passwordField } from "./user-fields";

export const resetPasswordInput = z.object({ email: emailField, password: passwordField });
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;

/** An administrator sets a new password for a user. The audit event never contains the password. */
export async function resetPassword(caller: Caller, input: ResetPasswordInput): Promise<{ id: string; email: string }> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", label: String(input?.email ?? "") });
  const { email, password } = parseInput(resetPasswordInput, input);
  const passwordHash = await hashPassword(password);
  const target = await loadUserByEmail(db, email);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", subject: asUser(target), subjectId: target.id, label: email });
  if (target.kind === "service") throw invalidInput("email", `${email} is a service account: it has no password and acts only through API tokens`);
  return db.transaction(async (tx) => {
    const user = await loadUserByEmail(tx, email, { lock: true });
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    // Whoever held the old password may hold a session too.
    await endAllSessions(tx, user.id);
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "user.password_reset",
      outcome: "success",
      subjectType: "user",
      subjectId: user.id,
      details: { email, before: { password: "(previous)" }, after: { password: "(set by administrator)" } },
    });
    return { id: user.id, email };
  });
}
