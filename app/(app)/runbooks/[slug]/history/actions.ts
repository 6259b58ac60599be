"use server";

import { redirect } from "next/navigation";
import { formStateOf, type FormState } from "@/lib/api/errors";
import { formText } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { restoreRevision } from "@/lib/services/runbooks/authoring/restore-revision";

export async function restoreRevisionAction(slug: string, number: number, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor(`/runbooks/${slug}/history`);
  let pendingProposal: string | undefined;
  try {
    const restored = await restoreRevision(actor, slug, number, formText(formData, "message"));
    // A restore that loosens a safety net waits as a proposal: show it.
    if (isPendingReview(restored)) pendingProposal = restored.proposal.id;
  } catch (error) {
    return formStateOf(error);
  }
  redirect(pendingProposal ? `/proposals/${pendingProposal}` : `/runbooks/${slug}/history`);
}
