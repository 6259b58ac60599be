import YAML from "yaml";
import { inlineScript, runbookFileSchema, type RunbookDefinition, type RunbookFile } from "./definition";

/** Pure and browser-safe: the editor validates with exactly what the server saves with. */

export interface SourceError {
  field: string;
  message: string;
}

export type ParsedSource = { ok: true; definition: RunbookDefinition } | { ok: false; errors: SourceError[] };

const KEY_ORDER = [
  "slug",
  "title",
  "description",
  "owner",
  "tags",
  "risk",
  "environment",
  "timeout",
  "concurrency",
  "lock",
  "approval",
  "confirm",
  "dryRun",
  "parameters",
  "env",
  "command",
  "script",
  "args",
  "steps",
  "files",
];

const scriptSource = (script: NonNullable<RunbookDefinition["script"]>) => ({ ...(script.language ? { language: script.language } : {}), content: script.content });

/**
 * The YAML-shaped form of a stored definition: scripts inline, keys in a stable, readable order.
 * Files are listed by path only: their content has no place in the format, so a definition that
 * has them reads back only through the file loader.
 */
export function definitionToSource(definition: RunbookDefinition): RunbookFile {
  const { script, files, steps, ...rest } = definition;
  const source: Record<string, unknown> = { ...rest };
  if (script) source.script = scriptSource(script);
  if (steps) source.steps = steps.map(({ script: stepScript, ...step }) => (stepScript ? { ...step, script: scriptSource(stepScript) } : step));
  if (files && files.length > 0) source.files = files.map((file) => file.path);
  const ordered = Object.fromEntries(
    [...KEY_ORDER, ...Object.keys(source).filter((key) => !KEY_ORDER.includes(key))]
      .filter((key) => source[key] !== undefined)
      .map((key) => [key, source[key]]),
  );
  return ordered as RunbookFile;
}

export function definitionToYaml(definition: RunbookDefinition): string {
  return YAML.stringify(definitionToSource(definition), { lineWidth: 0, blockQuote: "literal" });
}

/** Validates a source object (from YAML or the form) into the definition a version stores. */
export function parseSourceObject(document: unknown): ParsedSource {
  const parsed = runbookFileSchema.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ field: issue.path.length > 0 ? issue.path.map(String).join(".") : "(runbook)", message: issue.message })),
    };
  }
  const { script, files, steps, ...rest } = parsed.data;
  const stepWithFile = steps?.findIndex((step) => typeof step.script === "string") ?? -1;
  if (stepWithFile >= 0) {
    return { ok: false, errors: [{ field: `steps.${stepWithFile}.script`, message: "a script file path works only for runbooks kept in files; write the script inline (script: { language, content })" }] };
  }
  if (typeof script === "string") {
    return {
      ok: false,
      errors: [{ field: "script", message: "a script file path works only for runbooks kept in files; write the script inline (script: { language, content })" }],
    };
  }
  if (files && files.length > 0) {
    return {
      ok: false,
      errors: [{ field: "files", message: "files work only for runbooks kept in files, where they are read next to the YAML; put what the script needs in the script itself" }],
    };
  }
  const storedSteps = steps?.map(({ script: stepScript, ...step }) => (typeof stepScript === "object" ? { ...step, script: inlineScript(stepScript) } : step));
  return { ok: true, definition: { ...rest, ...(script ? { script: inlineScript(script) } : {}), ...(storedSteps ? { steps: storedSteps } : {}) } };
}

export function parseRunbookYaml(text: string): ParsedSource {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ field: "(yaml)", message: `is not valid YAML: ${(error as Error).message.split("\n")[0]}` }] };
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    return { ok: false, errors: [{ field: "(yaml)", message: "must be a mapping of runbook fields (slug, title, …)" }] };
  }
  return parseSourceObject(document);
}
