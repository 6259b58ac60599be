import { z } from "zod";
import { actions } from "../policy/ability-types";
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

const jsonObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: 'must be a JSON object such as {"environment":"staging"}' });
  return z.NEVER;
});

export const accessCheckQuery = z.object({
  user: z.string().min(1, "is required").max(320),
  action: z.enum(actions, { message: `must be one of: ${actions.join(", ")}` }),
  runbook: z.string().min(1, "is required").max(100),
  params: jsonObject.optional(),
});

const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time such as 2026-11-22T10:00:00Z" }).transform((value) => new Date(value));

export const auditQuery = z.object({
  actor: z.string().max(320).optional(),
  action: z.string().max(100).optional(),
  runbook: z.string().max(100).optional(),
  outcome: z.enum(["success", "denied", "failure"]).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: z.string().min(3, "search for at least 3 characters").max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.coerce.number().int().min(1).optional(),
  format: z.enum(["json", "csv", "jsonl"]).default("json"),
});
