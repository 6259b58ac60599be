import { and, eq } from "drizzle-orm";
import { teamMembers } from "../../db/schema";
import { AppError } from "../../errors";
import type { Caller } from "../caller";
import { changeMembership } from "./change-membership";
import type { MembershipDto, MembershipInput } from "./membership-input";

export function removeTeamMember(caller: Caller, input: MembershipInput): Promise<MembershipDto> {
  return changeMembership(caller, input, {
    action: "team.member_removed",
    async write(tx, teamId, userId, names) {
      const removed = await tx
        .delete(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
        .returning();
      if (removed.length === 0) throw new AppError("conflict", `${names.email} is not a member of team ${names.team}`, "email");
    },
  });
}
