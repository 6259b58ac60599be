import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { users } from "../../db/schema";
import { createActor, lastAudit, rejection } from "../../testing/fixtures";
import { openTestDatabase } from "../../testing/test-database";
import type { Actor } from "../actor";
import { issueToken } from "../tokens/issue-token";
import { authenticateToken } from "../tokens/tokens";
import { changeRole } from "./change-role";
import { createUser } from "./create-user";
import { deactivateUser } from "./deactivate-user";
import { listUsers } from "./list-users";
import { verifyPassword } from "./password";
import { reactivateUser } from "./reactivate-user";
import { resetPassword } from "./reset-password";
import { sessionUser } from "./sessions";
import { signInWithPassword } from "./sign-in";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;
let developer: Actor;
let operator: Actor;
const cli = { type: "system", id: "cli:test" } as const;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  admin = await createActor(handle, "admin");
  developer = await createActor(handle, "developer");
  operator = await createActor(handle, "operator");
});

afterAll(async () => {
  await dispose();
});

async function userRow(email: string) {
  const [row] = await handle.db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  return row;
}

async function newUser(role: "developer" | "operator" | "auditor" | "admin" = "developer") {
  const email = `u-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await createUser(admin, { email, name: "Someone", role, password: "a long password" });
  return email;
}

describe("listing and creating users", () => {
  it("lists users with their teams and never their password hashes", async () => {
    const list = await listUsers(admin);
    const me = list.find((user) => user.id === admin.user.id);
    expect(me).toMatchObject({ email: admin.user.email, role: "admin", active: true, teams: [] });
    expect(JSON.stringify(list)).not.toContain("argon2");
  });

  it("refuses non-admins, and audits the refusal", async () => {
    for (const actor of [developer, operator]) {
      const error = await rejection(listUsers(actor));
      expect(error.code).toBe("forbidden");
    }
    expect(await lastAudit(handle, "user.manage")).toMatchObject({ outcome: "denied", actorEmail: operator.user.email });
  });

  it("lets only admins create users, with field errors for bad input", async () => {
    const denied = await rejection(createUser(developer, { email: "sneaky@example.test", name: "S", role: "admin", password: "a long password" }));
    expect(denied.code).toBe("forbidden");
    expect(await handle.db.select().from(users).where(eq(users.email, "sneaky@example.test"))).toHaveLength(0);

    const bad = await rejection(createUser(admin, { email: "not-an-email", name: "S", role: "developer", password: "a long password" }));
    expect(bad).toMatchObject({ code: "invalid_input", field: "email" });
    const short = await rejection(createUser(admin, { email: "short@example.test", name: "S", role: "developer", password: "short" }));
    expect(short).toMatchObject({ code: "invalid_input", field: "password" });

    const email = await newUser();
    expect((await lastAudit(handle, "user.created"))?.actorEmail).toBe(admin.user.email);
    expect((await userRow(email)).role).toBe("developer");
  });
});

describe("deactivating and reactivating users", () => {
  it("stops sign-in, sessions and tokens of a deactivated user, and audits before/after", async () => {
    const email = await newUser();
    const { token } = await issueToken(cli, { email, label: "test" });
    expect(await authenticateToken(token)).not.toBeNull();
    const { id } = await userRow(email);

    expect(await deactivateUser(admin, { email: email.toUpperCase() })).toEqual({ id, email, active: false });
    expect(await authenticateToken(token)).toBeNull();
    expect(await sessionUser({ userId: id })).toBeNull();
    expect(await signInWithPassword({ email, password: "a long password" })).toBeNull();
    expect(await lastAudit(handle, "user.deactivated")).toMatchObject({
      outcome: "success",
      subjectId: id,
      actorEmail: admin.user.email,
      details: { before: { active: true }, after: { active: false } },
    });

    const again = await rejection(deactivateUser(admin, { email }));
    expect(again.code).toBe("conflict");

    await reactivateUser(admin, { email });
    expect(await authenticateToken(token)).not.toBeNull();
    expect(await signInWithPassword({ email, password: "a long password" })).not.toBeNull();
    expect((await lastAudit(handle, "user.reactivated"))?.details).toMatchObject({ before: { active: false }, after: { active: true } });
  });

  it("refuses an admin deactivating themselves", async () => {
    const error = await rejection(deactivateUser(admin, { email: admin.user.email }));
    expect(error).toMatchObject({ code: "invalid_input", field: "email" });
    expect((await userRow(admin.user.email)).active).toBe(true);
  });

  it("refuses non-admins, changing nothing", async () => {
    const email = await newUser();
    const error = await rejection(deactivateUser(developer, { email }));
    expect(error.code).toBe("forbidden");
    expect((await userRow(email)).active).toBe(true);
    const self = await rejection(reactivateUser(developer, { email: developer.user.email }));
    expect(self.code).toBe("forbidden");
  });

  it("names the field for a bad or unknown email", async () => {
    expect(await rejection(deactivateUser(admin, { email: "" }))).toMatchObject({ code: "invalid_input", field: "email" });
    expect(await rejection(deactivateUser(admin, { email: "x" }))).toMatchObject({ code: "invalid_input", field: "email" });
    expect((await rejection(deactivateUser(admin, { email: "nobody@example.test" }))).code).toBe("not_found");
  });

  it("lets the CLI (system caller) deactivate anyone, audited as the CLI", async () => {
    const email = await newUser("admin");
    await deactivateUser(cli, { email });
    expect(await lastAudit(handle, "user.deactivated")).toMatchObject({ actorType: "system", actorId: "cli:test" });
  });
});

describe("changing roles", () => {
  it("changes a role with before/after in the audit log; the change applies at once", async () => {
    const email = await newUser();
    const { id } = await userRow(email);
    expect(await changeRole(admin, { email, role: "operator" })).toEqual({ id, email, role: "operator" });
    // The session signed in as a developer has ended; a new one acts as an operator.
    expect(await sessionUser({ userId: id })).toBeNull();
    expect((await sessionUser({ userId: id, sessionVersion: 1 }))?.role).toBe("operator");
    expect(await lastAudit(handle, "user.role_changed")).toMatchObject({ subjectId: id, details: { before: { role: "developer" }, after: { role: "operator" } } });
    expect((await rejection(changeRole(admin, { email, role: "operator" }))).code).toBe("conflict");
  });

  it("refuses a non-admin changing a role (even their own), changing nothing", async () => {
    const email = await newUser();
    expect((await rejection(changeRole(developer, { email, role: "admin" }))).code).toBe("forbidden");
    expect((await rejection(changeRole(developer, { email: developer.user.email, role: "admin" }))).code).toBe("forbidden");
    expect((await rejection(changeRole(operator, { email: operator.user.email, role: "admin" }))).code).toBe("forbidden");
    expect((await userRow(email)).role).toBe("developer");
    expect((await userRow(developer.user.email)).role).toBe("developer");
    expect((await userRow(operator.user.email)).role).toBe("operator");
    expect(await lastAudit(handle, "user.manage")).toMatchObject({ outcome: "denied", actorEmail: operator.user.email });
  });

  it("refuses an admin demoting themselves", async () => {
    const error = await rejection(changeRole(admin, { email: admin.user.email, role: "developer" }));
    expect(error).toMatchObject({ code: "invalid_input", field: "role" });
    expect((await userRow(admin.user.email)).role).toBe("admin");
  });

  it("names the field for an unknown role", async () => {
    const email = await newUser();
    const error = await rejection(changeRole(admin, { email, role: "root" as never }));
    expect(error).toMatchObject({ code: "invalid_input", field: "role" });
    expect(error.message).toContain("admin, operator, developer, auditor");
    expect((await userRow(email)).role).toBe("developer");
  });
});

describe("resetting passwords", () => {
  it("sets a new password; the old one stops working; the password is not audited", async () => {
    const email = await newUser();
    await resetPassword(admin, { email, password: "brand new secret" });
    const row = await userRow(email);
    expect(await verifyPassword(row.passwordHash ?? "", "brand new secret")).toBe(true);
    expect(await verifyPassword(row.passwordHash ?? "", "a long password")).toBe(false);
    const event = await lastAudit(handle, "user.password_reset");
    expect(event?.subjectId).toBe(row.id);
    expect(JSON.stringify(event)).not.toContain("brand new secret");
  });

  it("refuses short passwords and non-admins, changing nothing", async () => {
    const email = await newUser();
    const before = (await userRow(email)).passwordHash;
    expect(await rejection(resetPassword(admin, { email, password: "short" }))).toMatchObject({ code: "invalid_input", field: "password" });
    expect((await rejection(resetPassword(developer, { email, password: "attacker password" }))).code).toBe("forbidden");
    expect((await userRow(email)).passwordHash).toBe(before);
  });
});
