import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { teams } from "../../db/schema";
import { createActor, lastAudit, rejection } from "../../testing/fixtures";
import { openTestDatabase } from "../../testing/test-database";
import type { Actor } from "../actor";
import { listUsers } from "../users/list-users";
import { sessionUser } from "../users/sessions";
import { addTeamMember } from "./add-team-member";
import { createTeam } from "./create-team";
import { listTeams } from "./list-teams";
import { removeTeamMember } from "./remove-team-member";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;
let developer: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  admin = await createActor(handle, "admin");
  developer = await createActor(handle, "developer");
});

afterAll(async () => {
  await dispose();
});

describe("teams", () => {
  it("creates a team, audited; a duplicate name is a conflict", async () => {
    const team = await createTeam(admin, { name: "platform", description: "Platform engineering" });
    expect(team).toMatchObject({ name: "platform", description: "Platform engineering" });
    expect(await lastAudit(handle, "team.created")).toMatchObject({ subjectId: team.id, details: { before: null, after: { name: "platform" } } });
    expect(await rejection(createTeam(admin, { name: "platform" }))).toMatchObject({ code: "conflict", field: "name" });
  });

  it("refuses bad names, naming the field, creating nothing", async () => {
    for (const name of ["", "Platform", "has space", "-dash", "dash-", "under_score", "a".repeat(64)]) {
      expect(await rejection(createTeam(admin, { name }))).toMatchObject({ code: "invalid_input", field: "name" });
    }
    expect(await rejection(createTeam(admin, { name: "ok", description: "x".repeat(501) }))).toMatchObject({ field: "description" });
    expect(await handle.db.select().from(teams).where(eq(teams.name, "ok"))).toHaveLength(0);
  });

  it("refuses non-admins", async () => {
    expect((await rejection(createTeam(developer, { name: "rogue" }))).code).toBe("forbidden");
    expect(await handle.db.select().from(teams).where(eq(teams.name, "rogue"))).toHaveLength(0);
    expect((await rejection(listTeams(developer))).code).toBe("forbidden");
    expect((await rejection(addTeamMember(developer, { team: "platform", email: developer.user.email }))).code).toBe("forbidden");
    expect((await listTeams(admin)).find((team) => team.name === "platform")?.members ?? []).toHaveLength(0);
    expect(await lastAudit(handle, "team.manage")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email });
  });

  it("adds and removes members by email; membership shows in the user's teams at once", async () => {
    await createTeam(admin, { name: "dba" });
    const added = await addTeamMember(admin, { team: "dba", email: developer.user.email.toUpperCase() });
    expect(added.members).toEqual([developer.user.email]);
    expect((await sessionUser({ userId: developer.user.id }))?.teams).toEqual(["dba"]);
    expect((await listUsers(admin)).find((user) => user.id === developer.user.id)?.teams).toEqual(["dba"]);
    expect((await listTeams(admin)).find((team) => team.name === "dba")?.members).toEqual([
      { email: developer.user.email, name: developer.user.name, active: true },
    ]);
    expect(await lastAudit(handle, "team.member_added")).toMatchObject({ details: { before: { members: [] }, after: { members: [developer.user.email] } } });
    expect(await rejection(addTeamMember(admin, { team: "dba", email: developer.user.email }))).toMatchObject({ code: "conflict", field: "email" });

    expect((await rejection(removeTeamMember(developer, { team: "dba", email: developer.user.email }))).code).toBe("forbidden");
    expect((await sessionUser({ userId: developer.user.id }))?.teams).toEqual(["dba"]);

    await removeTeamMember(admin, { team: "dba", email: developer.user.email });
    expect((await sessionUser({ userId: developer.user.id }))?.teams).toEqual([]);
    expect(await lastAudit(handle, "team.member_removed")).toMatchObject({ details: { before: { members: [developer.user.email] }, after: { members: [] } } });
    expect(await rejection(removeTeamMember(admin, { team: "dba", email: developer.user.email }))).toMatchObject({ code: "conflict", field: "email" });
  });

  it("names the field for bad membership input; unknown team or user is not found", async () => {
    expect(await rejection(addTeamMember(admin, { team: "dba", email: "nope" }))).toMatchObject({ code: "invalid_input", field: "email" });
    expect(await rejection(addTeamMember(admin, { team: "Bad Team", email: developer.user.email }))).toMatchObject({ code: "invalid_input", field: "team" });
    expect((await rejection(addTeamMember(admin, { team: "missing", email: developer.user.email }))).code).toBe("not_found");
    expect((await rejection(addTeamMember(admin, { team: "dba", email: "ghost@example.test" }))).code).toBe("not_found");
  });
});
