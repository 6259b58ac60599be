import { z } from "zod";
import type { ParameterDefinition } from "@/lib/runbooks/definition";

/** Pure: the link from a finished dry run to the run form, and reading it back. Secrets never travel in a URL. */

/** Values the run form starts from instead of the defaults. */
export interface RunPrefill {
  params: Record<string, string>;
  reason?: string;
  ticket?: string;
}

const prefillParams = z.record(z.string().max(100), z.union([z.string().max(4096), z.number(), z.boolean()]));

/** The form's starting values from `?params={json}&reason=…&ticket=…`; anything malformed is ignored. */
export function prefillFromQuery(query: Record<string, string>): RunPrefill {
  let params: Record<string, string> = {};
  try {
    const parsed = prefillParams.safeParse(JSON.parse(query.params ?? "{}"));
    if (parsed.success) params = Object.fromEntries(Object.entries(parsed.data).map(([name, value]) => [name, String(value)]));
  } catch {
    // not JSON: start from the defaults
  }
  return { params, ...(query.reason ? { reason: query.reason.slice(0, 1000) } : {}), ...(query.ticket ? { ticket: query.ticket.slice(0, 64) } : {}) };
}

/** "Request the real run with these parameters": the dry run's values, without secrets and without the dry-run switch. */
export function realRunHref(
  slug: string,
  parameters: readonly ParameterDefinition[],
  dryRunParameter: string | undefined,
  run: { params: Record<string, unknown>; reason: string | null; ticket: string | null },
): string {
  const carried = Object.fromEntries(
    parameters
      .filter((parameter) => parameter.type !== "secret" && parameter.name !== dryRunParameter && parameter.name in run.params)
      .map((parameter) => [parameter.name, run.params[parameter.name]]),
  );
  const query = new URLSearchParams({ params: JSON.stringify(carried) });
  if (run.reason) query.set("reason", run.reason);
  if (run.ticket) query.set("ticket", run.ticket);
  return `/runbooks/${encodeURIComponent(slug)}?${query.toString()}#run`;
}
