"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { editPolicy } from "@/lib/services/policies/edit-policy";

export async function savePolicyAction(existingName: string | null, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    "/admin/policies",
    (actor) => editPolicy(actor, { yaml: formText(formData, "yaml"), reason: formText(formData, "reason"), name: existingName ?? undefined }),
    (saved) => ({ redirectTo: `/admin/policies/${saved.name}` }),
  );
}
