import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { apiTokens } from "../../db/schema";
import { createActor, lastAudit, rejection } from "../../testing/fixtures";
import { openTestDatabase } from "../../testing/test-database";
import type { Actor } from "../actor";
import { deactivateUser } from "../users/deactivate-user";
import { issueToken } from "./issue-token";
import { listTokens } from "./list-tokens";
import { revokeToken } from "./revoke-token";
import { authenticateToken } from "./tokens";
import { addTeamMember } from "../teams/add-team-member";
import { createTeam } from "../teams/create-team";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;
let developer: Actor;
let other: Actor;
const cli = { type: "system", id: "cli:test" } as const;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  admin = await createActor(handle, "admin");
  developer = await createActor(handle, "developer");
  other = await createActor(handle, "developer", "other");
});

afterAll(async () => {
  await dispose();
});

async function tokenRow(id: string) {
  const [row] = await handle.db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

describe("API tokens", () => {
  it("a user creates their own token, sees only their own, never a hash", async () => {
    const mine = await issueToken(developer, { label: "laptop" });
    expect(mine.email).toBe(developer.user.email);
    await issueToken(other, { label: "theirs" });
    const list = await listTokens(developer);
    expect(list.map((token) => token.label)).toEqual(["laptop"]);
    expect(list[0]).toMatchObject({ id: mine.id, prefix: mine.token.slice(0, 10), revokedAt: null, user: { email: developer.user.email } });
    expect(JSON.stringify(list)).not.toMatch(/tokenHash|hr_[A-Za-z0-9_-]{20,}/);
  });

  it("admins (and the CLI) see everyone's tokens, or one user's", async () => {
    const all = await listTokens(admin);
    expect(new Set(all.map((token) => token.user.email))).toEqual(new Set([developer.user.email, other.user.email]));
    expect((await listTokens(admin, { email: other.user.email })).map((token) => token.label)).toEqual(["theirs"]);
    expect(await listTokens(cli)).toHaveLength(all.length);
  });

  it("refuses a developer listing or creating someone else's tokens", async () => {
    expect((await rejection(listTokens(developer, { email: other.user.email }))).code).toBe("forbidden");
    const before = (await listTokens(admin)).length;
    expect((await rejection(issueToken(developer, { label: "evil", email: other.user.email }))).code).toBe("forbidden");
    expect(await listTokens(admin)).toHaveLength(before);
    expect(await lastAudit(handle, "token.manage")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email });
  });

  it("names the field for a bad label", async () => {
    expect(await rejection(issueToken(developer, { label: "  " }))).toMatchObject({ code: "invalid_input", field: "label" });
    expect(await rejection(issueToken(developer, { label: "x".repeat(101) }))).toMatchObject({ code: "invalid_input", field: "label" });
  });

  it("a revoked token no longer authenticates; revoking again is a conflict", async () => {
    const created = await issueToken(developer, { label: "to revoke" });
    expect((await authenticateToken(created.token))?.user.id).toBe(developer.user.id);
    const revoked = await revokeToken(developer, { id: created.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await authenticateToken(created.token)).toBeNull();
    expect(await lastAudit(handle, "token.revoked")).toMatchObject({ subjectId: created.id, actorEmail: developer.user.email, details: { before: { revokedAt: null } } });
    expect((await rejection(revokeToken(developer, { id: created.id }))).code).toBe("conflict");
  });

  it("refuses a developer revoking someone else's token; an admin may", async () => {
    const theirs = await issueToken(other, { label: "victim" });
    expect((await rejection(revokeToken(developer, { id: theirs.id }))).code).toBe("forbidden");
    expect((await tokenRow(theirs.id))?.revokedAt).toBeNull();
    expect(await authenticateToken(theirs.token)).not.toBeNull();
    expect(await lastAudit(handle, "token.manage")).toMatchObject({ outcome: "denied", subjectId: theirs.id });

    await revokeToken(admin, { id: theirs.id });
    expect(await authenticateToken(theirs.token)).toBeNull();
  });

  it("names the field for a malformed id; an unknown id is not found", async () => {
    expect(await rejection(revokeToken(developer, { id: "'; drop table api_tokens" }))).toMatchObject({ code: "invalid_input", field: "id" });
    expect((await rejection(revokeToken(developer, { id: "00000000-0000-4000-8000-000000000000" }))).code).toBe("not_found");
  });

  it("a token carries its user's teams, so team-scoped policies apply to API calls", async () => {
    const created = await issueToken(other, { label: "teams" });
    expect((await authenticateToken(created.token))?.user.teams).toEqual([]);
    for (const team of ["sre", "dba"]) {
      await createTeam(admin, { name: team });
      await addTeamMember(admin, { team, email: other.user.email });
    }
    expect((await authenticateToken(created.token))?.user.teams).toEqual(["dba", "sre"]);
  });

  it("a deactivated user's token stops working, and no new one can be issued for them", async () => {
    const victim = await createActor(handle, "developer", "leaver");
    const created = await issueToken(victim, { label: "ci" });
    expect(await authenticateToken(created.token)).not.toBeNull();
    await deactivateUser(admin, { email: victim.user.email });
    expect(await authenticateToken(created.token)).toBeNull();
    expect(await rejection(issueToken(admin, { label: "x", email: victim.user.email }))).toMatchObject({ code: "invalid_input", field: "email" });
  });
});
