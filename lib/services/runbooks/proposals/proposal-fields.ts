import { z } from "zod";
import { proposalStatuses } from "../../../proposal-statuses";
import { missingOr } from "../../fields";
import { changeMessage, runbookSlugParam, runbookYaml } from "../runbook-fields";

/** The longest comment a review keeps. */
export const MAX_REVIEW_COMMENT_CHARS = 1000;

const reviewComment = (required: string) =>
  z
    .string({ error: missingOr(required, "must be text") })
    .trim()
    .max(MAX_REVIEW_COMMENT_CHARS, `must be at most ${MAX_REVIEW_COMMENT_CHARS} characters`);

/** Proposal review, checked by the service once the reviewer may decide. */
export const publishProposalBody = z.object({ comment: reviewComment("must be text").optional() }).strict();

export const rejectProposalBody = z.object({ comment: reviewComment("is required: tell the author why").min(1, "is required: tell the author why") }).strict();

export const proposeRunbookBody = z.object({ yaml: runbookYaml, message: changeMessage, slug: runbookSlugParam.optional() }).strict();

export const proposalListQuery = z.object({
  status: z.enum(proposalStatuses, { message: `must be one of: ${proposalStatuses.join(", ")}` }).optional(),
});
