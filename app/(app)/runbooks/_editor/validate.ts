import type { RunbookDefinition } from "@/lib/runbooks/definition";
import { parseRunbookYaml, parseSourceObject, type ParsedSource, type SourceError } from "@/lib/runbooks/source";
import type { Draft } from "./draft";
import { humanizeErrors } from "./error-paths";

/** The editor's verdict: the loader's own schema, plus the one rule of editing (the slug stays). */
export interface Validation {
  definition: RunbookDefinition | null;
  errors: SourceError[];
}

function verdict(parsed: ParsedSource, fixedSlug: string | undefined): Validation {
  if (!parsed.ok) return { definition: null, errors: humanizeErrors(parsed.errors) };
  if (fixedSlug !== undefined && parsed.definition.slug !== fixedSlug) {
    return { definition: null, errors: [{ field: "slug", message: `cannot change from "${fixedSlug}"; create a new runbook instead` }] };
  }
  return { definition: parsed.definition, errors: [] };
}

export function validateDraft(draft: Draft, fixedSlug?: string): Validation {
  return verdict(parseSourceObject(draft), fixedSlug);
}

export function validateYaml(text: string, fixedSlug?: string): Validation {
  return verdict(parseRunbookYaml(text), fixedSlug);
}
