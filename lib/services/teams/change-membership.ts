import { asc, eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { teamMembers, users } from "../../db/schema";
import { asTeam } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../caller";
import { parseInput } from "../fields";
import { loadUserByEmail } from "../users/user-fields";
import { membershipInput, type MembershipDto, type MembershipInput } from "./membership-input";
import { loadTeamByName } from "./team-fields";

async function memberEmails(db: Db, teamId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(users.email));
  return rows.map((row) => row.email);
}

interface MembershipChange {
  action: "team.member_added" | "team.member_removed";
  /** Writes the change; throws (e.g. a conflict) when there is nothing to change. */
  write(tx: Db, teamId: string, userId: string, names: { team: string; email: string }): Promise<void>;
}

/** Adding and removing a member: authorised on the team, written with the member list before and after. */
export async function changeMembership(caller: Caller, input: MembershipInput, change: MembershipChange): Promise<MembershipDto> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", label: String(input?.team ?? "") });
  const { team: name, email } = parseInput(membershipInput, input);
  const team = await loadTeamByName(db, name);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", subject: asTeam(team), subjectId: team.id, label: name });
  const user = await loadUserByEmail(db, email);
  return db.transaction(async (tx) => {
    const before = await memberEmails(tx, team.id);
    await change.write(tx, team.id, user.id, { team: name, email });
    const after = await memberEmails(tx, team.id);
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: change.action,
      outcome: "success",
      subjectType: "team",
      subjectId: team.id,
      details: { team: name, user: email, userId: user.id, before: { members: before }, after: { members: after } },
    });
    return { team: name, email, members: after };
  });
}
