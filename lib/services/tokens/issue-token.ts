import { z } from "zod";
import { database } from "../../db";
import { invalidInput } from "../../errors";
import { asToken } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, isActor, type Caller } from "../users/caller";
import { parseInput } from "../users/parse-input";
import { emailField, loadUserByEmail } from "../users/user-fields";
import { createToken, type CreatedToken } from "./tokens";

export const issueTokenInput = z.object({
  label: z.string({ message: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
  email: emailField.optional(),
});
export type IssueTokenInput = z.input<typeof issueTokenInput>;

/**
 * Creates an API token for the caller (or, with `email`, for another user when the caller may
 * manage that user's tokens). The token is returned once; only its hash is stored.
 */
export async function issueToken(caller: Caller, input: IssueTokenInput): Promise<CreatedToken> {
  const { db } = await database();
  const { label, email } = parseInput(issueTokenInput, input);
  const ownerEmail = email ?? (isActor(caller) ? caller.user.email : undefined);
  if (!ownerEmail) throw invalidInput("email", "email is required");
  const owner = await loadUserByEmail(db, ownerEmail);
  if (!owner.active) throw invalidInput("email", `user ${ownerEmail} is deactivated`);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Token", subject: asToken({ id: "new", userId: owner.id }), label: `for ${ownerEmail}` });
  return createToken(db, { email: ownerEmail, label }, auditActorOfCaller(caller));
}
