"use server";

import { redirect } from "next/navigation";
import { errorResponseOf } from "@/lib/api/errors";
import { formText } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { saveRunbook } from "@/lib/services/runbooks/authoring/save-runbook";
import { proposeRunbook } from "@/lib/services/runbooks/proposals/propose-runbook";
import type { EditorActionState } from "./action-state";

function editorStateOf(error: unknown): EditorActionState {
  const { status, body } = errorResponseOf(error);
  return { ...body, status };
}

/** Creates a runbook (target null) or saves a new version of one, then opens it. */
export async function saveRunbookAction(
  target: { slug: string; baseRevision: number } | null,
  _previous: EditorActionState,
  formData: FormData,
): Promise<EditorActionState> {
  const actor = await requireActor(target ? `/runbooks/${target.slug}/edit` : "/runbooks/new");
  let slug: string;
  let pendingProposal: string | undefined;
  try {
    const saved = await saveRunbook(actor, {
      yaml: formText(formData, "yaml"),
      message: formText(formData, "message"),
      ...(target ? { slug: target.slug, baseRevision: target.baseRevision } : {}),
    });
    // A change that loosens a safety net waits as a proposal: show it, with what it loosens.
    if (isPendingReview(saved)) pendingProposal = saved.proposal.id;
    slug = saved.slug;
  } catch (error) {
    return editorStateOf(error);
  }
  redirect(pendingProposal ? `/proposals/${pendingProposal}` : `/runbooks/${slug}`);
}

/** Drafts a new runbook (slug null) or a change to one for an operator to review, then opens the proposal. */
export async function proposeRunbookAction(slug: string | null, _previous: EditorActionState, formData: FormData): Promise<EditorActionState> {
  const actor = await requireActor(slug ? `/runbooks/${slug}/propose` : "/runbooks/new");
  let id: string;
  try {
    ({ id } = await proposeRunbook(actor, { yaml: formText(formData, "yaml"), message: formText(formData, "message"), ...(slug ? { slug } : {}) }));
  } catch (error) {
    return editorStateOf(error);
  }
  redirect(`/proposals/${id}`);
}
