import YAML from "yaml";
import { z } from "zod";

/**
 * What the form edits: the runbook source as YAML parses it, typed only as loosely as the form
 * needs to show it. The loader's schema (parseSourceObject) judges it; this only decides whether
 * the form can display a YAML document at all.
 */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalar>;

const parameterDraft = z
  .object({
    name: scalar.optional(),
    type: scalar.optional(),
    required: scalar.optional(),
    default: scalar.optional(),
    description: scalar.optional(),
    pattern: scalar.optional(),
    allowed: z.array(scalar).nullish(),
    min: scalar.optional(),
    max: scalar.optional(),
  })
  .loose();
export type DraftParameter = z.infer<typeof parameterDraft>;

const envValueDraft = z.union([scalar, z.object({ secret: scalar }).loose(), z.object({ inherit: scalar }).loose()]);
export type DraftEnvValue = z.infer<typeof envValueDraft>;

const scriptDraft = z.union([z.string(), z.object({ language: scalar.optional(), content: scalar.optional() }).loose()]);
export type DraftScript = z.infer<typeof scriptDraft>;

const stepDraft = z
  .object({
    id: scalar.optional(),
    title: scalar.optional(),
    command: z.array(scalar).nullish(),
    script: scriptDraft.nullish(),
    args: z.array(scalar).nullish(),
    manual: scalar.optional(),
    runbook: scalar.optional(),
    note: scalar.optional(),
    when: scalar.optional(),
    timeout: scalar.optional(),
    onFailure: scalar.optional(),
    approval: z.object({ required: scalar.optional() }).loose().nullish(),
  })
  .loose();
export type DraftStep = z.infer<typeof stepDraft>;

const draftSchema = z
  .object({
    slug: scalar.optional(),
    title: scalar.optional(),
    description: scalar.optional(),
    owner: scalar.optional(),
    tags: z.array(scalar).nullish(),
    risk: scalar.optional(),
    environment: scalar.optional(),
    timeout: scalar.optional(),
    concurrency: scalar.optional(),
    lock: scalar.optional(),
    parameters: z.array(parameterDraft).nullish(),
    env: z.record(z.string(), envValueDraft).nullish(),
    command: z.array(scalar).nullish(),
    script: scriptDraft.nullish(),
    args: z.array(scalar).nullish(),
    steps: z.array(stepDraft).nullish(),
  })
  .loose();
export type Draft = z.infer<typeof draftSchema>;

export type DraftParse = { ok: true; draft: Draft } | { ok: false; reason: string };

/** The form can show any mapping whose known fields have the shapes above; anything else keeps YAML and form apart. */
export function draftFromObject(document: unknown): DraftParse {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return { ok: false, reason: "the document must be a mapping of runbook fields (slug, title, …)" };
  }
  const parsed = draftSchema.safeParse(document);
  if (parsed.success) return { ok: true, draft: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return { ok: false, reason: `${path || "runbook"} has a shape the form cannot show` };
}

export function draftFromYaml(text: string): DraftParse {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    return { ok: false, reason: `the YAML does not parse: ${(error as Error).message.split("\n")[0]?.replace(/:$/, "")}` };
  }
  return draftFromObject(document ?? {});
}

const TOP_ORDER = ["slug", "title", "description", "owner", "tags", "risk", "environment", "timeout", "concurrency", "lock", "parameters", "env", "command", "script", "args", "steps"];
const STEP_ORDER = ["id", "title", "when", "approval", "command", "script", "args", "manual", "note", "value", "runbook", "params", "env", "timeout", "onFailure"];
const PARAMETER_ORDER = ["name", "type", "required", "default", "description", "pattern", "allowed", "min", "max"];
const SCRIPT_ORDER = ["language", "content"];

function ordered(object: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const keys = [...order.filter((key) => key in object), ...Object.keys(object).filter((key) => !order.includes(key))];
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
}

/** The YAML the form's draft serialises to, keys in the order definitionToYaml uses. */
export function draftToYaml(draft: Draft): string {
  const top = ordered(draft, TOP_ORDER);
  if (Array.isArray(top.parameters)) top.parameters = top.parameters.map((parameter: Record<string, unknown>) => ordered(parameter, PARAMETER_ORDER));
  if (top.script && typeof top.script === "object") top.script = ordered(top.script as Record<string, unknown>, SCRIPT_ORDER);
  if (Array.isArray(top.steps)) {
    top.steps = top.steps.map((step: Record<string, unknown>) => {
      const inOrder = ordered(step, STEP_ORDER);
      if (inOrder.script && typeof inOrder.script === "object") inOrder.script = ordered(inOrder.script as Record<string, unknown>, SCRIPT_ORDER);
      return inOrder;
    });
  }
  return YAML.stringify(top, { lineWidth: 0, blockQuote: "literal" });
}
