import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { users } from "../../db/schema";
import { AppError } from "../../errors";
import { asUser } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, callerUserId, type Caller } from "../caller";
import { parseInput } from "../fields";
import { endAllSessions } from "./sessions";
import { emailField, loadUserByEmail } from "./user-fields";

export const userEmailInput = z.object({ email: emailField });
export type UserEmailInput = z.input<typeof userEmailInput>;

export interface UserStatus {
  id: string;
  email: string;
  active: boolean;
}

/** Shared by deactivate-user and reactivate-user: flips `active`, audited with before/after. */
export async function setUserActive(caller: Caller, input: UserEmailInput, active: boolean): Promise<UserStatus> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", label: String(input?.email ?? "") });
  const { email } = parseInput(userEmailInput, input);
  const target = await loadUserByEmail(db, email);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", subject: asUser(target), subjectId: target.id, label: email });
  return db.transaction(async (tx) => {
    const user = await loadUserByEmail(tx, email, { lock: true });
    if (!active && user.id === callerUserId(caller)) {
      throw new AppError("invalid_input", "you cannot deactivate yourself; ask another administrator", "email");
    }
    if (user.active === active) throw new AppError("conflict", `user ${email} is already ${active ? "active" : "deactivated"}`);
    await tx.update(users).set({ active }).where(eq(users.id, user.id));
    await endAllSessions(tx, user.id);
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: active ? "user.reactivated" : "user.deactivated",
      outcome: "success",
      subjectType: "user",
      subjectId: user.id,
      details: { email, before: { active: user.active }, after: { active } },
    });
    return { id: user.id, email, active };
  });
}
