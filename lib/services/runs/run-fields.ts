import { z } from "zod";
import { runStatuses } from "../../run-statuses";
import { safetyFieldsSchema } from "../../runbooks/safety";

/** A run request as the REST API and the run form send it; parsed once, by requestRun, after the caller may see the runbook. */
export const runRequestBody = z
  .object({ params: z.record(z.string(), z.unknown()).default({}), ...safetyFieldsSchema.shape })
  .strict();

export const runFiltersQuery = z.object({
  runbook: z.string().max(100).optional(),
  status: z.enum(runStatuses, { message: `must be one of: ${runStatuses.join(", ")}` }).optional(),
  user: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
  /** Runs of view runbooks (panels refreshing) are left out unless asked for, or a view runbook is asked for by name. */
  views: z.enum(["include", "only"], { message: "must be include or only" }).optional(),
});

export const breakGlassListQuery = z.object({ reviewed: z.enum(["true", "false"], { message: "must be true or false" }).default("false") }).strict();

/** `?follow=1` on a run request: answer with the run's live output instead of waiting for a second request. */
export const runRequestQuery = z.object({ follow: z.enum(["0", "1"], { message: "must be 0 or 1" }).optional() });
