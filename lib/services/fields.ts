import type { z } from "zod";
import { invalidInput } from "../errors";

/** Validates service input; the first problem becomes invalid_input naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  // The full path, as the REST API's own errors name it: `events.1`, not just `events`.
  const field = [...(issue?.path ?? []).map(String), ...(unknownKey ? [unknownKey] : [])].join(".") || "body";
  throw invalidInput(field, `${field} ${issue?.message ?? "is invalid"}`);
}

/** A zod error message that tells a missing field ("is required: …") from one of the wrong type. */
export const missingOr = (required: string, wrong: string) => (issue: { input?: unknown }) => (issue.input === undefined ? required : wrong);
