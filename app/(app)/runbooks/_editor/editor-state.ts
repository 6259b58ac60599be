import { draftFromYaml, draftToYaml, type Draft } from "./draft";
import { validateDraft, validateYaml, type Validation } from "./validate";

/**
 * The form edits `draft`; `yaml` is its serialisation. A YAML edit re-parses into the draft when
 * the form can show the result; until then `outOfSync` says why and the form keeps the last good draft.
 */
export interface EditorSnapshot {
  draft: Draft;
  yaml: string;
  outOfSync: string | null;
  lastEdit: "form" | "yaml";
}

export function snapshotFromYaml(yaml: string): EditorSnapshot {
  const parsed = draftFromYaml(yaml);
  return parsed.ok ? { draft: parsed.draft, yaml, outOfSync: null, lastEdit: "yaml" } : { draft: {}, yaml, outOfSync: parsed.reason, lastEdit: "yaml" };
}

export function editedInForm(draft: Draft): EditorSnapshot {
  return { draft, yaml: draftToYaml(draft), outOfSync: null, lastEdit: "form" };
}

export function editedAsYaml(previous: EditorSnapshot, yaml: string): EditorSnapshot {
  const parsed = draftFromYaml(yaml);
  return parsed.ok ? { draft: parsed.draft, yaml, outOfSync: null, lastEdit: "yaml" } : { ...previous, yaml, outOfSync: parsed.reason, lastEdit: "yaml" };
}

/** What gets saved is the YAML text, so after a YAML edit that text is what is judged. */
export function validationOf(snapshot: EditorSnapshot, fixedSlug?: string): Validation {
  return snapshot.lastEdit === "form" ? validateDraft(snapshot.draft, fixedSlug) : validateYaml(snapshot.yaml, fixedSlug);
}
