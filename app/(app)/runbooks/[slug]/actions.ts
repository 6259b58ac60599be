"use server";

import { redirect } from "next/navigation";
import { formStateOf, type FormState } from "@/lib/api/errors";
import { requireActor } from "@/lib/auth/current-actor";
import { formText } from "@/lib/api/form-actions";
import { setRunbookArchived } from "@/lib/services/runbooks/authoring/archive-runbook";
import { requestRun } from "@/lib/services/runs/request-run";

const PARAM_PREFIX = "param:";
const BOOLEAN_PREFIX = "boolean:";

/** Form fields are `param:<name>`; a `boolean:<name>` marker turns an unticked checkbox into false. */
function paramsFromForm(formData: FormData): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of formData.keys()) {
    if (key.startsWith(BOOLEAN_PREFIX)) params[key.slice(BOOLEAN_PREFIX.length)] ??= "false";
  }
  for (const [key, value] of formData.entries()) {
    if (key.startsWith(PARAM_PREFIX) && typeof value === "string") params[key.slice(PARAM_PREFIX.length)] = value;
  }
  return params;
}

export async function requestRunAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor(`/runbooks/${slug}`);
  let runId: number;
  try {
    runId = (await requestRun(actor, { slug, params: paramsFromForm(formData) })).id;
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
