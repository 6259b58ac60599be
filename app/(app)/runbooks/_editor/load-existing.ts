import { definitionToYaml } from "@/lib/runbooks/source";
import type { Actor } from "@/lib/services/actor";
import { listRevisions } from "@/lib/services/runbooks/authoring/history";
import { getRunbookVersion } from "@/lib/services/runbooks/get-runbook-version";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";

export interface ExistingRunbook {
  slug: string;
  title: string;
  yaml: string;
  /** The history entry the editor opens at: a save fails with 409 if another one lands first. */
  baseRevision: number;
  source: "file" | "ui";
  sourcePath: string | null;
  archived: boolean;
  canEdit: boolean;
  canPropose: boolean;
}

/** A runbook's current definition as editable YAML, with what the actor may do with it. */
export async function loadExistingRunbook(actor: Actor, slug: string): Promise<ExistingRunbook> {
  // History first: if a save lands between these reads, the older base makes our save a 409, never a silent overwrite.
  const history = await listRevisions(actor, slug);
  const runbook = await getRunbook(actor, slug, { includeArchived: true });
  const version = await getRunbookVersion(actor, slug, runbook.version);
  return {
    slug,
    title: runbook.title,
    // A runbook written in Handrail opens as its author wrote it; a file's text may point at files beside it, so it is shown as the definition.
    yaml: runbook.source === "ui" && version.sourceYaml !== null ? version.sourceYaml : definitionToYaml(version.definition),
    baseRevision: history.revisions[0]?.number ?? 0,
    source: runbook.source,
    sourcePath: runbook.sourcePath,
    archived: runbook.archived,
    canEdit: runbook.canEdit,
    canPropose: runbook.canPropose,
  };
}
