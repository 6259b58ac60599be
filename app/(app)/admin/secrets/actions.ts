"use server";

import { actionResult, formText, type ActionState } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { deleteSecret } from "@/lib/services/secrets/delete-secret";
import { setSecret } from "@/lib/services/secrets/set-secret";

const PAGE = "/admin/secrets";

/** Creates or replaces a secret. A form without a description field keeps the secret's current one. */
export async function setSecretAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const description = formData.has("description") ? { description: formText(formData, "description") } : {};
    const result = await setSecret(actor, { name: formText(formData, "name"), value: formText(formData, "value"), ...description });
    return `${result.created ? "Created" : "Replaced"} secret ${result.name}.`;
  });
}

export async function deleteSecretAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const result = await deleteSecret(actor, { name: formText(formData, "name") });
    return `Deleted secret ${result.name}.`;
  });
}
