import { eq } from "drizzle-orm";
import { MAX_EMAIL_CHARS, recordAudit } from "../../audit/record";
import { wellFormedText } from "../../audit/well-formed";
import { database } from "../../db";
import { users } from "../../db/schema";
import type { ActorUser } from "../actor";
import { verifyPassword } from "./password";
import { teamNamesOf } from "./team-names";
import { clearAccount, countFailure, secondsLocked } from "./sign-in-throttle";

export interface SignInAttempt {
  email: string;
  password: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Longer passwords are refused unhashed: hashing cost grows with them. */
const MAX_PASSWORD_CHARS = 1024;

// Verified against when the email is unknown, so a miss costs as long as a hit.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q0BNg4ZbXjv3Re0V6Dzy4zcqFvVzx0l3RFvCVgPczjk";

/** Checks a password and records the attempt either way. Returns the user, or null. */
export async function signInWithPassword(attempt: SignInAttempt): Promise<ActorUser | null> {
  const { db } = await database();
  const email = attempt.email.trim().toLowerCase();
  // No account has an email that is not well-formed text of at most 320 characters: such a value is
  // never sent to the database (which cannot hold a NUL), and the attempt fails like any other.
  const storable = email.length > 0 && email.length <= MAX_EMAIL_CHARS && wellFormedText(email) === email;
  const passwordUsable = attempt.password.length > 0 && attempt.password.length <= MAX_PASSWORD_CHARS;
  const keys = { account: storable ? email : undefined, address: attempt.ip };
  const actor = (ok: boolean, userId?: string) => ({
    type: ok ? ("user" as const) : ("anonymous" as const),
    ...(userId && ok ? { id: userId } : {}),
    email,
    ...(attempt.ip ? { ip: attempt.ip } : {}),
    ...(attempt.userAgent ? { userAgent: attempt.userAgent } : {}),
  });
  // While locked, not even the right password gets in: the password is not checked at all.
  const retryAfterSeconds = await secondsLocked(db, keys);
  if (retryAfterSeconds > 0) {
    await recordAudit(db, { actor: actor(false), action: "auth.sign_in", outcome: "failure", subjectType: "user", details: { reason: "throttled", retryAfterSeconds } });
    return null;
  }
  const [user] = storable ? await db.select().from(users).where(eq(users.email, email)) : [];
  const valid = passwordUsable && (await verifyPassword(user?.passwordHash ?? DUMMY_HASH, attempt.password));
  const ok = Boolean(user && user.active && user.kind === "person" && valid);
  await recordAudit(db, {
    actor: actor(ok, user?.id),
    action: "auth.sign_in",
    outcome: ok ? "success" : "failure",
    subjectType: "user",
    ...(user ? { subjectId: user.id } : {}),
    details: ok
      ? {}
      : { reason: !storable ? "malformed email" : !user ? "unknown email" : !user.active ? "user deactivated" : passwordUsable ? "wrong password" : "malformed password" },
  });
  if (!ok || !user) {
    for (const lock of await countFailure(db, keys)) {
      await recordAudit(db, {
        actor: actor(false),
        action: "auth.locked",
        outcome: "success",
        subjectType: lock.key.startsWith("account:") ? "user" : "address",
        ...(lock.key.startsWith("account:") && user ? { subjectId: user.id } : {}),
        details: { key: lock.key, failures: lock.failures, lockedUntil: lock.lockedUntil.toISOString() },
      });
    }
    return null;
  }
  await clearAccount(db, email);
  return { id: user.id, email: user.email, name: user.name, role: user.role, teams: await teamNamesOf(db, user.id) };
}

/** Seconds a sign-in for this email from this address must wait; 0 when it may be tried now. */
export async function signInRetryAfter(email: string, ip: string | undefined): Promise<number> {
  const { db } = await database();
  const normalized = email.trim().toLowerCase();
  const storable = normalized.length > 0 && normalized.length <= MAX_EMAIL_CHARS && wellFormedText(normalized) === normalized;
  return secondsLocked(db, { account: storable ? normalized : undefined, address: ip });
}

