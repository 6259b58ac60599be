"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { addTeamMember } from "@/lib/services/teams/add-team-member";
import { createTeam } from "@/lib/services/teams/create-team";
import { removeTeamMember } from "@/lib/services/teams/remove-team-member";

const PAGE = "/admin/teams";

export async function createTeamAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => createTeam(actor, { name: formText(formData, "name"), description: formText(formData, "description") }),
    (team) => `Created team ${team.name}.`,
  );
}

export async function addMemberAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => addTeamMember(actor, { team: formText(formData, "team"), email: formText(formData, "email") }),
    (result) => `Added ${result.email} to ${result.team}.`,
  );
}

export async function removeMemberAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => removeTeamMember(actor, { team: formText(formData, "team"), email: formText(formData, "email") }),
    (result) => `Removed ${result.email} from ${result.team}.`,
  );
}
