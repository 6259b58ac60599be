"use server";

import { actionResult, formText, type ActionState } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { addTeamMember } from "@/lib/services/teams/add-team-member";
import { createTeam } from "@/lib/services/teams/create-team";
import { removeTeamMember } from "@/lib/services/teams/remove-team-member";

const PAGE = "/admin/teams";

export async function createTeamAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const team = await createTeam(actor, { name: formText(formData, "name"), description: formText(formData, "description") });
    return `Created team ${team.name}.`;
  });
}

export async function addMemberAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const result = await addTeamMember(actor, { team: formText(formData, "team"), email: formText(formData, "email") });
    return `Added ${result.email} to ${result.team}.`;
  });
}

export async function removeMemberAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const result = await removeTeamMember(actor, { team: formText(formData, "team"), email: formText(formData, "email") });
    return `Removed ${result.email} from ${result.team}.`;
  });
}
