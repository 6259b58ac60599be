import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { users } from "../../db/schema";
import { AppError } from "../../errors";
import { asUser } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, callerUserId, type Caller } from "../caller";
import { parseInput } from "../fields";
import { emailField, loadUserByEmail, roleField, type Role } from "./user-fields";
import { endAllSessions } from "./sessions";

export const changeRoleInput = z.object({ email: emailField, role: roleField });
export type ChangeRoleInput = z.input<typeof changeRoleInput>;

/** Gives a user another role. An administrator cannot change their own role, so nobody locks themselves out. */
export async function changeRole(caller: Caller, input: ChangeRoleInput): Promise<{ id: string; email: string; role: Role }> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", label: String(input?.email ?? "") });
  const { email, role } = parseInput(changeRoleInput, input);
  const target = await loadUserByEmail(db, email);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", subject: asUser(target), subjectId: target.id, label: email });
  return db.transaction(async (tx) => {
    const user = await loadUserByEmail(tx, email, { lock: true });
    if (user.id === callerUserId(caller) && role !== user.role) {
      throw new AppError("invalid_input", "you cannot change your own role; ask another administrator", "role");
    }
    if (user.role === role) throw new AppError("conflict", `user ${email} is already ${role}`);
    await tx.update(users).set({ role }).where(eq(users.id, user.id));
    await endAllSessions(tx, user.id);
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "user.role_changed",
      outcome: "success",
      subjectType: "user",
      subjectId: user.id,
      details: { email, before: { role: user.role }, after: { role } },
    });
    return { id: user.id, email, role };
  });
}
