import { z } from "zod";
import { actions } from "../policy/ability-types";
import { runStatuses } from "../run-statuses";
import { safetyFieldsSchema } from "../runbooks/safety";

/** Shared by the REST API and the UI's forms. */
export const runRequestBody = z
  .object({ params: z.record(z.string(), z.unknown()).default({}), ...safetyFieldsSchema.shape })
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

/** Output seqs are PostgreSQL integers. */
const outputSeq = z.coerce.number().int().max(2_147_483_647);

export const outputLinesQuery = z.object({
  from: outputSeq.min(1).default(1),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});

export const outputSearchQuery = z.object({
  q: z.string({ error: "is required" }).min(1, "is required").max(200, "must be at most 200 characters"),
  after: outputSeq.min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const outputDownloadQuery = z.object({
  download: z.enum(["0", "1"], { message: "must be 0 or 1" }).optional(),
});

export const outputStreamQuery = z.object({
  tail: z.coerce.number().int().min(1).max(2000).optional(),
});

/** Runbook history, archiving and proposal review. */
const missingOr = (required: string, wrong: string) => (issue: { input?: unknown }) => (issue.input === undefined ? required : wrong);

const revisionNumber = z
  .string({ error: "is required: a version number such as 3" })
  .regex(/^[1-9]\d{0,8}$/, "must be a version number such as 3")
  .transform(Number);

export const revisionCompareQuery = z.object({ from: revisionNumber, to: revisionNumber });

export const restoreRevisionBody = z.object({ message: z.string({ error: missingOr("is required: say why you restore this version", "must be text") }) }).strict();

export const archiveRunbookBody = z
  .object({
    archived: z.boolean({ error: missingOr("is required: true to archive, false to bring the runbook back", "must be true or false") }),
    reason: z.string({ error: missingOr("is required: say why", "must be text") }),
  })
  .strict();

export const publishProposalBody = z.object({ comment: z.string({ error: "must be text" }).max(1000, "must be at most 1000 characters").optional() }).strict();

export const rejectProposalBody = z.object({ comment: z.string({ error: missingOr("is required: tell the author why", "must be text") }) }).strict();

/** Runbook authoring: the YAML itself is checked by the service, with the loader's own schema. */
export const runbookSlugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes");

const runbookYaml = z.string({ error: missingOr("is required: the runbook definition as YAML", "must be text") });
const changeMessage = z.string({ error: missingOr("is required: say what changed and why", "must be text") });

export const createRunbookBody = z.object({ yaml: runbookYaml, message: changeMessage }).strict();

export const updateRunbookBody = z
  .object({
    yaml: runbookYaml,
    message: changeMessage,
    baseRevision: z.number({ error: "must be a version number such as 3" }).int("must be a version number such as 3").min(0).optional(),
  })
  .strict();

export const proposeRunbookBody = z.object({ yaml: runbookYaml, message: changeMessage, slug: runbookSlugParam.optional() }).strict();

const proposalStatusValues = ["open", "published", "rejected", "withdrawn"] as const;

export const proposalListQuery = z.object({
  status: z.enum(proposalStatusValues, { message: `must be one of: ${proposalStatusValues.join(", ")}` }).optional(),
});
