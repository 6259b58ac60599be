"use server";

import { formStateOf } from "@/lib/api/errors";
import { requireActor } from "@/lib/auth/current-actor";
import { addTeamMember } from "@/lib/services/teams/add-team-member";
import { createTeam } from "@/lib/services/teams/create-team";
import { removeTeamMember } from "@/lib/services/teams/remove-team-member";
import type { ActionState } from "../users/action-form";

const PAGE = "/admin/teams";

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

async function perform(work: () => Promise<string>): Promise<ActionState> {
  try {
    const message = await work();
    return { message };
  } catch (error) {
    return formStateOf(error);
  }
}

export async function createTeamAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const team = await createTeam(actor, { name: text(formData, "name"), description: text(formData, "description") });
    return `Created team ${team.name}.`;
  });
}

export async function addMemberAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const result = await addTeamMember(actor, { team: text(formData, "team"), email: text(formData, "email") });
    return `Added ${result.email} to ${result.team}.`;
  });
}

export async function removeMemberAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const result = await removeTeamMember(actor, { team: text(formData, "team"), email: text(formData, "email") });
    return `Removed ${result.email} from ${result.team}.`;
  });
}
