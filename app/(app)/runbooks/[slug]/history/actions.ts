"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { restoreRevision } from "@/lib/services/runbooks/authoring/restore-revision";

export async function restoreRevisionAction(slug: string, number: number, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    `/runbooks/${slug}/history`,
    (actor) => restoreRevision(actor, slug, number, formText(formData, "message")),
    // A restore that loosens a safety net waits as a proposal: show it.
    (restored) => ({ redirectTo: isPendingReview(restored) ? `/proposals/${restored.proposal.id}` : `/runbooks/${slug}/history` }),
  );
}
