"use server";

import { redirect } from "next/navigation";
import { formStateOf, type FormState } from "@/lib/api/errors";
import { formText } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import type { Actor } from "@/lib/services/actor";
import { publishProposal, rejectProposal, withdrawProposal } from "@/lib/services/runbooks/proposals/review-proposal";

/** Each decision reloads the proposal page, which then shows its new status. */
async function decide(id: string, work: (actor: Actor) => Promise<unknown>): Promise<FormState> {
  const actor = await requireActor(`/proposals/${id}`);
  try {
    await work(actor);
  } catch (error) {
    return formStateOf(error);
  }
  redirect(`/proposals/${id}`);
}

export async function publishProposalAction(id: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return decide(id, (actor) => publishProposal(actor, id, formText(formData, "comment")));
}

export async function rejectProposalAction(id: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return decide(id, (actor) => rejectProposal(actor, id, formText(formData, "comment")));
}

export async function withdrawProposalAction(id: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  return decide(id, (actor) => withdrawProposal(actor, id));
}
