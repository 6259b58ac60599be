import { z } from "zod";

const wellFormed = (text: string) => text.isWellFormed();
const noteText = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .refine(wellFormed, "must be valid Unicode text")
  .refine((text) => !text.includes("\0"), "must not contain NUL characters");

/** Ticking a manual step: a note, and the value the step asks for (checked against its definition by the service). */
export const completeStepBody = z
  .object({
    note: noteText.optional(),
    value: z.union([z.string().max(4096, "must be at most 4096 characters"), z.number(), z.boolean()]).optional(),
  })
  .strict();

export const skipStepBody = z.object({ reason: noteText.pipe(z.string().min(3, "say why the step is skipped (at least 3 characters)")) }).strict();
