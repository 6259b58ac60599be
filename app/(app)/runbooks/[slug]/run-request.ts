/** Pure: maps the run form's fields to the body the REST API takes (runRequestBody), for the server action and its tests. */

const PARAM_PREFIX = "param:";
const BOOLEAN_PREFIX = "boolean:";

/** Which submit button was pressed: a dry run, the normal request, or break-glass. */
export const runIntents = ["run", "dry-run", "break-glass"] as const;
export type RunIntent = (typeof runIntents)[number];

export function intentOf(formData: FormData): RunIntent {
  const value = formData.get("intent");
  return runIntents.find((intent) => intent === value) ?? "run";
}

/** Form fields are `param:<name>`; a `boolean:<name>` marker turns an unticked checkbox into false. */
export function paramsFromForm(formData: FormData): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of formData.keys()) {
    if (key.startsWith(BOOLEAN_PREFIX)) params[key.slice(BOOLEAN_PREFIX.length)] ??= "false";
  }
  for (const [key, value] of formData.entries()) {
    if (key.startsWith(PARAM_PREFIX) && typeof value === "string") params[key.slice(PARAM_PREFIX.length)] = value;
  }
  return params;
}

function text(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The request body for one press of a submit button. Empty optional fields are left out, so the
 * server judges what is missing rather than an empty string. A dry run sends no risk, confirmation
 * or break-glass (it needs none); only the break-glass button sends the break-glass fields.
 */
export function runRequestFromForm(formData: FormData): Record<string, unknown> {
  const intent = intentOf(formData);
  const optional = (name: string) => {
    const value = text(formData, name);
    return value === undefined ? {} : { [name]: value };
  };
  const body: Record<string, unknown> = { params: paramsFromForm(formData), ...optional("reason"), ...optional("ticket") };
  if (intent === "dry-run") return { ...body, dryRun: true };
  Object.assign(body, optional("risk"), optional("confirm"));
  if (intent === "break-glass") {
    body.breakGlass = { justification: formData.get("justification") ?? "", incident: formData.get("incident") ?? "" };
  }
  return body;
}
