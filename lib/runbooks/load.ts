import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { inlineScript, runbookFileSchema, type InlineScript, type RunbookDefinition } from "./definition";
import { readBundledFiles } from "./read-files";
import { canonicalJson, sha256Hex } from "../hashing";

export interface LoadedRunbook {
  definition: RunbookDefinition;
  hash: string;
  sourcePath: string;
  /** The file's text, shown as its author wrote it. */
  sourceYaml: string;
}

export interface RunbookLoadError {
  file: string;
  field: string;
  message: string;
}

export interface LoadResult {
  runbooks: LoadedRunbook[];
  errors: RunbookLoadError[];
}

export function versionHash(definition: RunbookDefinition): string {
  return sha256Hex(canonicalJson(definition));
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? issue.path.map(String).join(".") : "(file)";
}

type ScriptSource = string | InlineScript;
type StoredScript = NonNullable<RunbookDefinition["script"]>;

/** An inline script as stored, or a script file next to the YAML read into the version. */
function resolveScript(file: string, script: ScriptSource): StoredScript | { message: string } {
  if (typeof script === "object") return inlineScript(script);
  const scriptPath = path.resolve(path.dirname(file), script);
  if (!fs.existsSync(scriptPath)) return { message: `file not found: ${scriptPath}` };
  const content = fs.readFileSync(scriptPath, "utf8");
  if (!content.startsWith("#!")) return { message: `${script} has no #! line; it picks the interpreter` };
  return { path: script, content };
}

function loadFile(file: string): LoadedRunbook | RunbookLoadError[] {
  let document: unknown;
  let sourceYaml: string;
  try {
    sourceYaml = fs.readFileSync(file, "utf8");
    document = YAML.parse(sourceYaml);
  } catch (error) {
    return [{ file, field: "(file)", message: `is not valid YAML: ${(error as Error).message.split("\n")[0]}` }];
  }
  const parsed = runbookFileSchema.safeParse(document);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ file, field: issuePath(issue), message: issue.message }));
  }
  const { script, files, steps, ...rest } = parsed.data;
  const definition: RunbookDefinition = { ...rest };
  const problems: RunbookLoadError[] = [];
  const resolve = (source: ScriptSource, field: string): StoredScript | undefined => {
    const resolved = resolveScript(file, source);
    if ("message" in resolved) problems.push({ file, field, message: resolved.message });
    else return resolved;
  };
  if (script) definition.script = resolve(script, "script");
  if (steps) {
    definition.steps = steps.map(({ script: stepScript, ...step }, index) => {
      const resolved = stepScript ? resolve(stepScript, `steps.${index}.script`) : undefined;
      return resolved ? { ...step, script: resolved } : step;
    });
  }
  if (problems.length > 0) return problems;
  // `files: []` is left out, so spelling out "no files" does not make a new version.
  if (files && files.length > 0) {
    const read = readBundledFiles(file, files);
    if ("problems" in read) return read.problems.map((problem) => ({ file, ...problem }));
    definition.files = read.files;
  }
  return { definition, hash: versionHash(definition), sourcePath: file, sourceYaml };
}

/** Loads every *.yaml / *.yml in dir. A bad file is reported and skipped; the others still load. */
export function loadRunbooksDir(dir: string): LoadResult {
  const result: LoadResult = { runbooks: [], errors: [] };
  if (!fs.existsSync(dir)) {
    result.errors.push({ file: dir, field: "(directory)", message: "runbooks directory does not exist" });
    return result;
  }
  const files = fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== "policies.yaml")
    .sort()
    .map((name) => path.join(dir, name));
  const seen = new Map<string, string>();
  for (const file of files) {
    const loaded = loadFile(file);
    if (Array.isArray(loaded)) {
      result.errors.push(...loaded);
      continue;
    }
    const clash = seen.get(loaded.definition.slug);
    if (clash) {
      result.errors.push({ file, field: "slug", message: `"${loaded.definition.slug}" is already defined in ${clash}` });
      continue;
    }
    seen.set(loaded.definition.slug, file);
    result.runbooks.push(loaded);
  }
  return result;
}
