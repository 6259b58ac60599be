"use server";

import { redirect } from "next/navigation";
import { formStateOf, type FormState } from "@/lib/api/errors";
import { requireActor } from "@/lib/auth/current-actor";
import { editPolicy } from "@/lib/services/policies/edit-policy";

export async function savePolicyAction(existingName: string | null, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor("/admin/policies");
  let saved: { name: string };
  try {
    saved = await editPolicy(actor, {
      yaml: String(formData.get("yaml") ?? ""),
      reason: String(formData.get("reason") ?? ""),
      name: existingName ?? undefined,
    });
  } catch (error) {
    return formStateOf(error);
  }
  redirect(`/admin/policies/${saved.name}`);
}
