import { z } from "zod";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { users } from "../../db/schema";
import { AppError } from "../../errors";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../caller";
import { parseInput } from "../fields";
import { roleField, type Role } from "./user-fields";

/** Service accounts get an address under the reserved `.invalid` domain: no mail can reach it, nobody can own it. */
export const SERVICE_ACCOUNT_DOMAIN = "service.invalid";

export const createServiceAccountInput = z
  .object({
    name: z
      .string({ message: "is required" })
      .trim()
      .min(2, "must be at least 2 characters")
      .max(63, "must be at most 63 characters")
      .regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes, such as ci-deploy"),
    role: roleField,
    description: z.string().trim().max(200, "must be at most 200 characters").optional(),
  })
  .strict();
export type CreateServiceAccountInput = z.input<typeof createServiceAccountInput>;

export interface ServiceAccountDto {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/**
 * An administrator creates a service account: a non-human user for a pipeline, with a role and
 * teams like anyone else, no password (it cannot sign in), acting only through tokens an
 * administrator issues for it.
 */
export async function createServiceAccount(caller: Caller, input: CreateServiceAccountInput): Promise<ServiceAccountDto> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "User", label: String((input as { name?: unknown })?.name ?? "") });
  const { name, role, description } = parseInput(createServiceAccountInput, input);
  const email = `${name}@${SERVICE_ACCOUNT_DOMAIN}`;
  const displayName = description ? `${name} (${description})` : name;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) throw new AppError("conflict", `a service account named ${name} already exists`);
    const [created] = await tx.insert(users).values({ email, name: displayName, role, kind: "service", passwordHash: null }).returning({ id: users.id });
    if (!created) throw new Error("service account insert returned nothing");
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "user.created",
      outcome: "success",
      subjectType: "user",
      subjectId: created.id,
      details: { after: { email, name: displayName, role, kind: "service" } },
    });
    return { id: created.id, email, name: displayName, role };
  });
}
