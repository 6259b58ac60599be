"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import type { Actor } from "@/lib/services/actor";
import { publishProposal, rejectProposal, withdrawProposal } from "@/lib/services/runbooks/proposals/review-proposal";

/** Each decision reloads the proposal page, which then shows its new status. */
function decide(id: string, work: (actor: Actor) => Promise<unknown>): Promise<ActionState> {
  return formAction(`/proposals/${id}`, work, () => ({ redirectTo: `/proposals/${id}` }));
}

export async function publishProposalAction(id: string, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return decide(id, (actor) => publishProposal(actor, id, { comment: formText(formData, "comment") }));
}

export async function rejectProposalAction(id: string, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return decide(id, (actor) => rejectProposal(actor, id, { comment: formText(formData, "comment") }));
}

export async function withdrawProposalAction(id: string, _previous: ActionState, _formData: FormData): Promise<ActionState> {
  return decide(id, (actor) => withdrawProposal(actor, id));
}
