"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { refreshPanel } from "@/lib/services/views/refresh-panel";

export async function refreshViewAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    "/dashboard",
    (actor) => refreshPanel(actor, formText(formData, "slug")),
    (run) => `Refreshing: run #${run.id} is ${run.status}. The panel shows its result when it finishes.`,
  );
}
