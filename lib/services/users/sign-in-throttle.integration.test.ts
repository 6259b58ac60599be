import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents } from "../../db/schema";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { addUser } from "./add-user";
import { signInRetryAfter, signInWithPassword } from "./sign-in";
import { ADDRESS_LOCK_AFTER } from "./sign-in-throttle";

const PASSWORD = "correct horse battery";

describe(`sign-in throttling on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    for (const email of ["guessed@example.test", "bystander@example.test"]) {
      await addUser(handle.db, { email, name: email, role: "developer", password: PASSWORD }, { type: "system", id: "test" });
    }
  });
  afterAll(async () => dispose?.());

  const lastAudit = async (action: string) => (await handle.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq)).limit(1))[0];

  it("locks an account from its 5th consecutive failure: then even the right password is refused until the lock passes", async () => {
    for (let attempt = 1; attempt <= 5; attempt++) expect(await signInWithPassword({ email: "guessed@example.test", password: `guess ${attempt}`, ip: "198.51.100.1" })).toBeNull();
    expect(await lastAudit("auth.locked")).toMatchObject({ actorEmail: "guessed@example.test", details: expect.objectContaining({ key: "account:guessed@example.test", failures: 5 }) });
    expect(await signInRetryAfter("guessed@example.test", undefined)).toBeGreaterThan(0);
    expect(await signInWithPassword({ email: "guessed@example.test", password: PASSWORD })).toBeNull();
    expect(await lastAudit("auth.sign_in")).toMatchObject({ outcome: "failure", details: expect.objectContaining({ reason: "throttled" }) });
    // Another account is not affected.
    expect(await signInWithPassword({ email: "bystander@example.test", password: PASSWORD })).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await signInWithPassword({ email: "guessed@example.test", password: PASSWORD })).not.toBeNull();
    // The success ended the run of failures: one more failure does not lock again.
    expect(await signInWithPassword({ email: "guessed@example.test", password: "wrong again" })).toBeNull();
    expect(await signInRetryAfter("guessed@example.test", undefined)).toBe(0);
  });

  it(`locks a client address from its ${ADDRESS_LOCK_AFTER}th failure in 15 minutes, whatever accounts it tries`, async () => {
    for (let attempt = 1; attempt <= ADDRESS_LOCK_AFTER; attempt++) {
      await signInWithPassword({ email: `spray-${attempt}@example.test`, password: "spray", ip: "203.0.113.9" });
    }
    expect(await lastAudit("auth.locked")).toMatchObject({ subjectType: "address", details: expect.objectContaining({ key: "address:203.0.113.9", failures: ADDRESS_LOCK_AFTER }) });
    expect(await signInWithPassword({ email: "bystander@example.test", password: PASSWORD, ip: "203.0.113.9" })).toBeNull();
    expect(await signInWithPassword({ email: "bystander@example.test", password: PASSWORD, ip: "203.0.113.10" })).not.toBeNull();
  }, 60_000);
});
