import { redirect } from "next/navigation";
import { requireActor } from "../auth/current-actor";
import type { Actor } from "../services/actor";
import { formStateOf, type FormState } from "./errors";

/** What a server action returns to its form: an error naming its field, or a message (and a one-time secret). */
export type ActionState = FormState & { message?: string; secret?: string };

/** What a service call's result becomes: a message for the form, a message with a secret shown once, or a page to go to. */
export type FormOutcome = string | ActionState | { redirectTo: string };

/** A text field from a submitted form; anything missing or not text is "". */
export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** Every text value of a repeated field (checkboxes, multi-selects). */
export function formTexts(formData: FormData, name: string): string[] {
  return formData.getAll(name).filter((value): value is string => typeof value === "string");
}

/**
 * The one shape of a server action: the signed-in actor (or the sign-in page, back to `page`),
 * the service call, every error mapped to form state here (with the HTTP status it maps to), and
 * on success a message for the form or a redirect to where the result is.
 */
export async function formAction<T>(page: string, work: (actor: Actor) => Promise<T>, outcome: (result: T, actor: Actor) => FormOutcome): Promise<ActionState> {
  const actor = await requireActor(page);
  let done: FormOutcome;
  try {
    done = outcome(await work(actor), actor);
  } catch (error) {
    return formStateOf(error);
  }
  // redirect() throws to finish the action, so it stays outside the try.
  if (typeof done === "object" && "redirectTo" in done) redirect(done.redirectTo);
  return typeof done === "string" ? { message: done } : done;
}
