import { z } from "zod";
import { runStatuses } from "../run-statuses";

/** Shared by the REST API and the UI's forms. */
export const runRequestBody = z
  .object({ params: z.record(z.string(), z.unknown()).default({}) })
  .strict();

export const runFiltersQuery = z.object({
  runbook: z.string().max(100).optional(),
  status: z.enum(runStatuses, { message: `must be one of: ${runStatuses.join(", ")}` }).optional(),
  user: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
});

export function queryObject(url: string | URL): Record<string, string> {
  const params = new URL(url).searchParams;
  return Object.fromEntries([...params.entries()].filter(([, value]) => value !== ""));
}
