import { ForbiddenError } from "@casl/ability";
import { ZodError } from "zod";
import { AppError } from "../errors";

export interface ErrorBody {
  error: string;
  field?: string;
}

/** The one mapping from a thrown error to an HTTP status and `{ error, field? }` body. */
export function errorResponseOf(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: error.message, ...(error.field ? { field: error.field } : {}) } };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    // An issue with no path is about the whole body (e.g. an array or a string where an object belongs).
    const field = [...(issue?.path ?? []).map(String), ...(unknownKey ? [unknownKey] : [])].join(".") || "body";
    return { status: 400, body: { error: field ? `${field}: ${issue?.message}` : (issue?.message ?? "invalid input"), ...(field ? { field } : {}) } };
  }
  if (error instanceof ForbiddenError) return { status: 403, body: { error: error.message } };
  console.error(error);
  return { status: 500, body: { error: "internal error" } };
}

/** The same mapping for server actions, which render the message in the form; `status` says what kind (409: a conflict). */
export interface FormState {
  error?: string;
  field?: string;
  status?: number;
}

export function formStateOf(error: unknown): FormState {
  const { status, body } = errorResponseOf(error);
  return { ...body, status };
}
