import { z } from "zod";

/** The longest comment a decision keeps. */
export const MAX_DECISION_COMMENT_CHARS = 2000;

/** An approver's decision on a run that waits for approval; rejecting needs a comment (checked by the service). */
export const approvalDecisionInput = z
  .object({ comment: z.string({ message: "must be text" }).trim().max(MAX_DECISION_COMMENT_CHARS, `must be at most ${MAX_DECISION_COMMENT_CHARS} characters`).default("") })
  .strict();

export const breakGlassReviewInput = z
  .object({
    comment: z
      .string({ message: "is required: say what you checked" })
      .trim()
      .min(3, "must say what you checked (at least 3 characters)")
      .max(MAX_DECISION_COMMENT_CHARS, `must be at most ${MAX_DECISION_COMMENT_CHARS} characters`),
  })
  .strict();
