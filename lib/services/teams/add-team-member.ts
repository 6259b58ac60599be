import { teamMembers } from "../../db/schema";
import { AppError } from "../../errors";
import type { Caller } from "../caller";
import { changeMembership } from "./change-membership";
import type { MembershipDto, MembershipInput } from "./membership-input";

export function addTeamMember(caller: Caller, input: MembershipInput): Promise<MembershipDto> {
  return changeMembership(caller, input, {
    action: "team.member_added",
    async write(tx, teamId, userId, names) {
      const [added] = await tx.insert(teamMembers).values({ teamId, userId }).onConflictDoNothing().returning();
      if (!added) throw new AppError("conflict", `${names.email} is already a member of team ${names.team}`, "email");
    },
  });
}
