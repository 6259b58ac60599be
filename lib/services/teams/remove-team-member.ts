import { and, eq } from "drizzle-orm";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { teamMembers } from "../../db/schema";
import { AppError } from "../../errors";
import { asTeam } from "../../policy/ability";
import { auditActorOfCaller, authorizeCaller, type Caller } from "../users/caller";
import { parseInput } from "../users/parse-input";
import { loadUserByEmail } from "../users/user-fields";
import { memberEmails } from "./add-team-member";
import { membershipInput, type MembershipDto, type MembershipInput } from "./membership-input";
import { loadTeamByName } from "./team-fields";

export async function removeTeamMember(caller: Caller, input: MembershipInput): Promise<MembershipDto> {
  const { db } = await database();
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", label: String(input?.team ?? "") });
  const { team: name, email } = parseInput(membershipInput, input);
  const team = await loadTeamByName(db, name);
  await authorizeCaller(db, caller, { action: "manage", subjectType: "Team", subject: asTeam(team), subjectId: team.id, label: name });
  const user = await loadUserByEmail(db, email);
  return db.transaction(async (tx) => {
    const before = await memberEmails(tx, team.id);
    const removed = await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, user.id)))
      .returning();
    if (removed.length === 0) throw new AppError("conflict", `${email} is not a member of team ${name}`, "email");
    const after = await memberEmails(tx, team.id);
    await recordAudit(tx, {
      actor: auditActorOfCaller(caller),
      action: "team.member_removed",
      outcome: "success",
      subjectType: "team",
      subjectId: team.id,
      details: { team: name, user: email, userId: user.id, before: { members: before }, after: { members: after } },
    });
    return { team: name, email, members: after };
  });
}
