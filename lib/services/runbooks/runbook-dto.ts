import type { StepKind } from "../../runbooks/steps";
import type { runbooks, RunbookSource } from "../../db/schema";
import type { RunbookDefinition } from "../../runbooks/definition";
import { asRunbook, denialReason, type AppAbility } from "../../policy/ability";
import { runPossibility } from "../../policy/explain";
import type { Actor } from "../actor";

export interface RunbookSummary {
  slug: string;
  title: string;
  description: string;
  owner: string;
  tags: string[];
  risk: "low" | "medium" | "high";
  version: string;
  /** file: read-only here, edited in the runbooks directory; ui: authored in Handrail. */
  source: RunbookSource;
  /** The file it is managed by: shown to those who may edit runbooks like it (it names the install directory). */
  sourcePath: string | null;
  archived: boolean;
  /** The actor may edit, archive and restore it (a UI-authored runbook only). */
  canEdit: boolean;
  /** The actor may propose a change for review. */
  canPropose: boolean;
  canRun: boolean;
  /** Why the actor may not run it, when they may not. */
  runDeniedReason: string | null;
  /** Parameter constraints the actor's rules put on a run, e.g. "environment in [staging, dev]". */
  runConstraints: string[];
  environment: string | null;
  /** A view runbook: read-only, shown as a panel on the dashboard. */
  view: boolean;
}

export interface RunbookDetail extends RunbookSummary {
  timeout: string;
  parameters: RunbookDefinition["parameters"];
  command: string[] | null;
  script: RunbookDefinition["script"] | null;
  args: string[] | null;
  /** A runbook of steps: each step's id, title, kind, condition and how many must approve it. */
  steps: Array<{ id: string; title: string; kind: StepKind; when: string | null; approvals: number }> | null;
}

export function toRunbookSummary(row: typeof runbooks.$inferSelect, actor: Actor, ability: AppAbility): RunbookSummary {
  const archived = row.archivedAt !== null;
  const { possible, constraints } = runPossibility(ability, asRunbook(row));
  const canRun = possible && !archived;
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    owner: row.owner,
    tags: row.tags,
    risk: row.risk,
    version: row.currentVersionHash,
    source: row.source,
    sourcePath: ability.can("edit", asRunbook(row)) ? row.sourcePath : null,
    archived,
    canEdit: row.source === "ui" && ability.can("edit", asRunbook(row)),
    canPropose: row.source === "ui" && !archived && ability.can("propose", asRunbook(row)),
    canRun,
    runDeniedReason: canRun ? null : archived ? `runbook ${row.slug} is archived; unarchive it to run it` : denialReason(actor.user.role, "run", "Runbook", row.slug),
    runConstraints: archived ? [] : constraints,
    environment: row.environment,
    view: row.view,
  };
}
