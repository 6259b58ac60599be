"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { deleteSecret } from "@/lib/services/secrets/delete-secret";
import { setSecret } from "@/lib/services/secrets/set-secret";

const PAGE = "/admin/secrets";

/** Creates or replaces a secret. A form without a description field keeps the secret's current one. */
export async function setSecretAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const description = formData.has("description") ? { description: formText(formData, "description") } : {};
  return formAction(
    PAGE,
    (actor) => setSecret(actor, { name: formText(formData, "name"), value: formText(formData, "value"), ...description }),
    (result) => `${result.created ? "Created" : "Replaced"} secret ${result.name}.`,
  );
}

export async function deleteSecretAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(PAGE, (actor) => deleteSecret(actor, { name: formText(formData, "name") }), (result) => `Deleted secret ${result.name}.`);
}
