import { z } from "zod";

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
