import { z } from "zod";

/** What a view reports: fine, worth a look, or act now. `unknown`: it reported nothing readable. */
export const viewStatuses = ["ok", "warn", "critical", "unknown"] as const;
export type ViewStatus = (typeof viewStatuses)[number];

const MAX_COLUMNS = 8;
const MAX_ROWS = 20;
const cell = z.union([z.string().max(200, "a table cell is at most 200 characters"), z.number().finite(), z.boolean(), z.null()]);

/**
 * The result a view runbook prints as the last line of its output (docs/views.md): one JSON object.
 * `status` is required; `headline` is the line a person reads first; `value` (with `unit`) is what
 * the history draws as a sparkline; `table` a few rows of detail.
 */
export const viewResultSchema = z
  .object({
    status: z.enum(["ok", "warn", "critical"], { message: 'must be "ok", "warn" or "critical"' }),
    headline: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    value: z.number().finite("must be a finite number").optional(),
    unit: z.string().max(20, "must be at most 20 characters").optional(),
    table: z
      .object({
        columns: z.array(z.string().max(60, "a column name is at most 60 characters")).min(1, "list at least one column").max(MAX_COLUMNS, `at most ${MAX_COLUMNS} columns`),
        rows: z.array(z.array(cell).max(MAX_COLUMNS, `at most ${MAX_COLUMNS} cells a row`)).max(MAX_ROWS, `at most ${MAX_ROWS} rows`),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ViewResult = z.infer<typeof viewResultSchema>;

/** The line a result is read from: no bigger than this, so reading it costs nothing. */
const MAX_RESULT_LINE = 16_384;

export type ParsedViewResult = { ok: true; result: ViewResult } | { ok: false; error: string };

/** Reads a view's result from the last line of its output, or says exactly why it could not. */
export function parseViewResult(lastLine: string | undefined): ParsedViewResult {
  const line = lastLine?.trim() ?? "";
  if (line === "") return { ok: false, error: "no result: the output is empty (a view prints one JSON object as its last line)" };
  if (line.length > MAX_RESULT_LINE) return { ok: false, error: `the last line is ${line.length} characters; a result is at most ${MAX_RESULT_LINE}` };
  if (!line.startsWith("{")) return { ok: false, error: "no result: the last line of output is not a JSON object" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `the last line is not valid JSON: ${(error as Error).message}` };
  }
  const checked = viewResultSchema.safeParse(parsed);
  if (checked.success) return { ok: true, result: checked.data };
  const [issue] = checked.error.issues;
  const where = issue?.path.length ? issue.path.join(".") : "result";
  return { ok: false, error: `${where}: ${issue?.message ?? "does not match the result shape"}` };
}
