import { asc, eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { teamMembers, users } from "../../db/schema";
import { AppError } from "../../errors";
import { asTeam } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../users/caller";
import { parseInput } from "../users/parse-input";
import { loadUserByEmail } from "../users/user-fields";
import { membershipInput, type MembershipDto, type MembershipInput } from "./membership-input";
import { loadTeamByName } from "./team-fields";

export async function memberEmails(db: Db, teamId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(users.email));
  return rows.map((row) => row.email);
}

export async function addTeamMember(caller: Caller, input: MembershipInput): Promise<MembershipDto> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", label: String(input?.team ?? "") });
  const { team: name, email } = parseInput(membershipInput, input);
  const team = await loadTeamByName(db, name);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", subject: asTeam(team), subjectId: team.id, label: name });
  const user = await loadUserByEmail(db, email);
  return db.transaction(async (tx) => {
    const before = await memberEmails(tx, team.id);
    const [added] = await tx.insert(teamMembers).values({ teamId: team.id, userId: user.id }).onConflictDoNothing().returning();
    if (!added) throw new AppError("conflict", `${email} is already a member of team ${name}`, "email");
    const after = await memberEmails(tx, team.id);
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "team.member_added",
      outcome: "success",
      subjectType: "team",
      subjectId: team.id,
      details: { team: name, user: email, userId: user.id, before: { members: before }, after: { members: after } },
    });
    return { team: name, email, members: after };
  });
}

