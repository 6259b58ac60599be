import type { z } from "zod";
import { invalidInput } from "../../errors";

/** Validates service input; the first problem becomes invalid_input naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  const field = String(issue?.path[0] ?? unknownKey ?? "input");
  throw invalidInput(field, `${field} ${issue?.message ?? "is invalid"}`);
}
