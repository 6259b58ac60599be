"use server";

import { redirect } from "next/navigation";
import { formStateOf, type FormState } from "@/lib/api/errors";
import { formText } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { restoreRevision } from "@/lib/services/runbooks/authoring/restore-revision";

export async function restoreRevisionAction(slug: string, number: number, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor(`/runbooks/${slug}/history`);
  try {
    await restoreRevision(actor, slug, number, formText(formData, "message"));
  } catch (error) {
    return formStateOf(error);
  }
  redirect(`/runbooks/${slug}/history`);
}
