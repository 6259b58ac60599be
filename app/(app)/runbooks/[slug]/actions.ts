"use server";

import { redirect } from "next/navigation";
import { formStateOf, type FormState } from "@/lib/api/errors";
import { requireActor } from "@/lib/auth/current-actor";
import { formText } from "@/lib/api/form-actions";
import { runRequestBody } from "@/lib/api/schemas";
import { setRunbookArchived } from "@/lib/services/runbooks/authoring/archive-runbook";
import { requestRun } from "@/lib/services/runs/request-run";
import { runRequestFromForm } from "./run-request";

/** One submit of the run form: a dry run, a request (queued, or waiting for approval), or break-glass. */
export async function requestRunAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor(`/runbooks/${slug}`);
  let runId: number;
  try {
    runId = (await requestRun(actor, { slug, ...runRequestBody.parse(runRequestFromForm(formData)) })).id;
  } catch (error) {
    return formStateOf(error);
  }
  redirect(`/runs/${runId}`);
}

/** Archives (archived = true) or brings back a runbook, with the reason the form requires. */
export async function setArchivedAction(slug: string, archived: boolean, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor(`/runbooks/${slug}`);
  try {
    await setRunbookArchived(actor, slug, archived, formText(formData, "reason"));
  } catch (error) {
    return formStateOf(error);
  }
  redirect(`/runbooks/${slug}`);
}
