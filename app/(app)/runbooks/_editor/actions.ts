"use server";

import { formAction, formText } from "@/lib/api/form-actions";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { saveRunbook } from "@/lib/services/runbooks/authoring/save-runbook";
import { proposeRunbook } from "@/lib/services/runbooks/proposals/propose-runbook";
import type { EditorActionState } from "./action-state";

/** Creates a runbook (target null) or saves a new version of one, then opens it. */
export async function saveRunbookAction(
  target: { slug: string; baseRevision: number } | null,
  _previous: EditorActionState,
  formData: FormData,
): Promise<EditorActionState> {
  return formAction(
    target ? `/runbooks/${target.slug}/edit` : "/runbooks/new",
    (actor) =>
      saveRunbook(actor, {
        yaml: formText(formData, "yaml"),
        message: formText(formData, "message"),
        ...(target ? { slug: target.slug, baseRevision: target.baseRevision } : {}),
      }),
    // A change that loosens a safety net waits as a proposal: show it, with what it loosens.
    (saved) => ({ redirectTo: isPendingReview(saved) ? `/proposals/${saved.proposal.id}` : `/runbooks/${saved.slug}` }),
  );
}

/** Drafts a new runbook (slug null) or a change to one for an operator to review, then opens the proposal. */
export async function proposeRunbookAction(slug: string | null, _previous: EditorActionState, formData: FormData): Promise<EditorActionState> {
  return formAction(
    slug ? `/runbooks/${slug}/propose` : "/runbooks/new",
    (actor) => proposeRunbook(actor, { yaml: formText(formData, "yaml"), message: formText(formData, "message"), ...(slug ? { slug } : {}) }),
    (proposal) => ({ redirectTo: `/proposals/${proposal.id}` }),
  );
}
