import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { createActor } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { issueToken } from "../tokens/issue-token";
import { authenticateToken } from "../tokens/tokens";
import { changeRole } from "./change-role";
import { deactivateUser } from "./deactivate-user";
import { reactivateUser } from "./reactivate-user";
import { resetPassword } from "./reset-password";
import { currentSessionVersion, endSession, sessionUser } from "./sessions";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;
const cli = { type: "system", id: "cli:test" } as const;
const later = () => new Date(Date.now() + 3_600_000);

/** A browser session as the sign-in callback makes it: its own id and the user's session version. */
async function signedIn(userId: string, name: string) {
  return { userId, sessionId: `${name}-${Math.random().toString(36).slice(2)}`, sessionVersion: await currentSessionVersion(userId) };
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  admin = await createActor(handle, "admin");
});
afterAll(async () => dispose?.());

describe(`browser sessions end, API tokens go on (${testDriver})`, () => {
  it("signing out ends that session only, even for a copy of its cookie", async () => {
    const user = await createActor(handle, "developer", "laptop-and-phone");
    const laptop = await signedIn(user.user.id, "laptop");
    const phone = await signedIn(user.user.id, "phone");
    expect(await sessionUser(laptop)).not.toBeNull();
    await endSession(laptop.sessionId, user.user.id, later());
    expect(await sessionUser(laptop)).toBeNull();
    expect(await sessionUser({ ...laptop })).toBeNull();
    expect((await sessionUser(phone))?.email).toBe(user.user.email);
    // Signing out twice changes nothing.
    await endSession(laptop.sessionId, user.user.id, later());
    expect(await sessionUser(phone)).not.toBeNull();
  });

  it("a password reset, a role change and deactivation each end every session; a token survives all but deactivation", async () => {
    const user = await createActor(handle, "developer", "moving-target");
    const email = user.user.email;
    const { token } = await issueToken(cli, { email, label: "test" });

    const beforeReset = await signedIn(user.user.id, "a");
    await resetPassword(admin, { email, password: "a brand new password" });
    expect(await sessionUser(beforeReset)).toBeNull();
    expect((await authenticateToken(token))?.user.email).toBe(email);

    const beforeRole = await signedIn(user.user.id, "b");
    expect(beforeRole.sessionVersion).toBe(beforeReset.sessionVersion + 1);
    await changeRole(admin, { email, role: "operator" });
    expect(await sessionUser(beforeRole)).toBeNull();
    // The token acts with the user's role as it is now.
    expect((await authenticateToken(token))?.user.role).toBe("operator");
    const afterRole = await signedIn(user.user.id, "c");
    expect((await sessionUser(afterRole))?.role).toBe("operator");

    await deactivateUser(admin, { email });
    expect(await sessionUser(afterRole)).toBeNull();
    expect(await authenticateToken(token)).toBeNull();
    // Coming back does not revive a session from before.
    await reactivateUser(admin, { email });
    expect(await sessionUser(afterRole)).toBeNull();
    expect(await authenticateToken(token)).not.toBeNull();
    expect(await sessionUser(await signedIn(user.user.id, "d"))).not.toBeNull();
  });

  it("treats a cookie from before sessions could end as version 0, ended by the next change", async () => {
    const user = await createActor(handle, "developer", "old-cookie");
    const old = { userId: user.user.id };
    expect(await sessionUser(old)).not.toBeNull();
    await changeRole(admin, { email: user.user.email, role: "auditor" });
    expect(await sessionUser(old)).toBeNull();
  });
});
