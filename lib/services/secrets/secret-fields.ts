import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { AppAbility } from "../../policy/ability";
import { secretNameSchema } from "../../runbooks/definition";
import type { SecretKeyring } from "../../secrets/keyring";
import { authorize } from "../authorize";
import { auditActorOfCaller, isActor, type Caller } from "../caller";

export const MAX_SECRET_BYTES = 64 * 1024;

export const secretNameField = z.string({ message: "is required" }).trim().min(1, "is required").pipe(secretNameSchema);

export const secretValueField = z
  .string({ message: "is required" })
  .min(1, "is required")
  .refine((value) => Buffer.byteLength(value, "utf8") <= MAX_SECRET_BYTES, `must be at most 64 KiB (${MAX_SECRET_BYTES} bytes)`)
  .refine((value) => !value.includes("\0"), "must not contain a NUL character: an environment variable cannot hold one");

export const secretDescriptionField = z.string().trim().max(500, "must be at most 500 characters");

/** Which configured key sealed a secret: the current one, a previous one (rotate), or none configured (unreadable). */
export type SecretKeyStatus = "current" | "previous" | "unknown";

export function keyStatus(keyring: SecretKeyring, keyId: string): SecretKeyStatus {
  if (keyId === keyring.currentKeyId) return "current";
  return keyring.keyIds.includes(keyId) ? "previous" : "unknown";
}

/** Who last changed a secret, as shown in lists: the user's email, or the CLI's identity. */
export function changedBy(caller: Caller): string {
  const actor = auditActorOfCaller(caller);
  return actor.email ?? actor.id ?? actor.type;
}

/** The policy check for actors, returning their ability; the CLI is not policy-checked and gets undefined. */
export async function authorizeSecrets(db: Db, caller: Caller, check: Parameters<typeof authorize>[2]): Promise<AppAbility | undefined> {
  return isActor(caller) ? authorize(db, caller, check) : undefined;
}

/** A keyring problem (no key configured, a key missing after a change) is the server's state, reported as is. */
export function keyringFailure(error: unknown): AppError {
  return new AppError("conflict", (error as Error).message);
}
