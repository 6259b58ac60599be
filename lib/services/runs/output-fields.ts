import { z } from "zod";

/** Output seqs are PostgreSQL integers. */
const outputSeq = z.coerce.number().int().max(2_147_483_647);

/** `?step=<id>`: one step's lines of a run of steps. */
const stepField = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a step id").optional();

export const outputLinesQuery = z.object({
  step: stepField,
  from: outputSeq.min(1).default(1),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});

export const outputSearchQuery = z.object({
  q: z.string({ error: "is required" }).min(1, "is required").max(200, "must be at most 200 characters"),
  after: outputSeq.min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const outputDownloadQuery = z.object({
  step: stepField,
  download: z.enum(["0", "1"], { message: "must be 0 or 1" }).optional(),
});

export const outputStreamQuery = z.object({
  step: stepField,
  tail: z.coerce.number().int().min(1).max(2000).optional(),
});
