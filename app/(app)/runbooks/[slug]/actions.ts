"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { setRunbookArchived } from "@/lib/services/runbooks/authoring/archive-runbook";
import { requestRun } from "@/lib/services/runs/request-run";
import { runRequestFromForm } from "./run-request";

/** One submit of the run form: a dry run, a request (queued, or waiting for approval), or break-glass. */
export async function requestRunAction(slug: string, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    `/runbooks/${slug}`,
    (actor) => requestRun(actor, { ...runRequestFromForm(formData), slug }),
    (run) => ({ redirectTo: `/runs/${run.id}` }),
  );
}

/** Archives (archived = true) or brings back a runbook, with the reason the form requires. */
export async function setArchivedAction(slug: string, archived: boolean, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    `/runbooks/${slug}`,
    (actor) => setRunbookArchived(actor, slug, archived, formText(formData, "reason")),
    () => ({ redirectTo: `/runbooks/${slug}` }),
  );
}
