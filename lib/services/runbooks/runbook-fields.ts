import { z } from "zod";
import { missingOr } from "../fields";

/** Runbook history and archiving. */
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

/** Runbook authoring: the YAML itself is checked by the service, with the loader's own schema. */
export const runbookSlugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes");

export const runbookYaml = z.string({ error: missingOr("is required: the runbook definition as YAML", "must be text") });
export const changeMessage = z.string({ error: missingOr("is required: say what changed and why", "must be text") });

export const createRunbookBody = z.object({ yaml: runbookYaml, message: changeMessage }).strict();

export const updateRunbookBody = z
  .object({
    yaml: runbookYaml,
    message: changeMessage,
    baseRevision: z.number({ error: "must be a version number such as 3" }).int("must be a version number such as 3").min(0).optional(),
  })
  .strict();
