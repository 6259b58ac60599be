import { formStateOf, type FormState } from "./errors";

/** What an admin form's server action returns: an error naming its field, or a message (and a one-time secret). */
export type ActionState = FormState & { message?: string; secret?: string };

/** A text field from a submitted form; anything missing or not text is "". */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** Runs the work and turns its result into a message, or its error into form state. */
export async function actionResult(work: () => Promise<string | ActionState>): Promise<ActionState> {
  try {
    const result = await work();
    return typeof result === "string" ? { message: result } : result;
  } catch (error) {
    return formStateOf(error);
  }
}
