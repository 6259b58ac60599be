import type { FormState } from "@/lib/api/errors";

/** What the editor's server actions return: the error, its field, and the HTTP status it maps to (409 is a conflict). */
export type EditorActionState = FormState;

export type EditorAction = (state: EditorActionState, formData: FormData) => Promise<EditorActionState>;
