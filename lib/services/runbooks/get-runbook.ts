import { stepApprovalsRequired, stepKind } from "../../runbooks/steps";
import { and, eq, isNull } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runbooks, runbookVersions } from "../../db/schema";
import { notFound } from "../../errors";
import { asRunbook } from "../../policy/ability";
import type { RunbookDefinition } from "../../runbooks/definition";
import type { Actor } from "../actor";
import { authorizeVisible } from "../authorize";
import { toRunbookSummary, type RunbookDetail } from "./runbook-dto";
import { wellFormedText } from "../../audit/well-formed";
import { SLUG_SYNTAX } from "../../runbooks/definition";

export interface RunbookLookup {
  /** Archived runbooks too, for their page (to unarchive them); never for running. */
  includeArchived?: boolean;
}

/** Loads an active runbook with its current definition, or throws not_found. */
export async function loadRunbook(db: Db, slug: string, lookup: RunbookLookup = {}) {
  // No runbook has a slug outside the slug syntax: never send such text (a NUL, say) to the database.
  if (!SLUG_SYNTAX.test(slug)) throw notFound(`no runbook "${wellFormedText(slug, 100)}"`);
  const [row] = await db
    .select({ runbook: runbooks, definition: runbookVersions.definition })
    .from(runbooks)
    .innerJoin(runbookVersions, eq(runbookVersions.hash, runbooks.currentVersionHash))
    .where(and(eq(runbooks.slug, slug), lookup.includeArchived ? undefined : isNull(runbooks.archivedAt)));
  if (!row) throw notFound(`no runbook "${slug}"`);
  return { runbook: row.runbook, definition: row.definition as RunbookDefinition };
}

export async function getRunbook(actor: Actor, slug: string, lookup: RunbookLookup = {}): Promise<RunbookDetail> {
  const { db } = await database();
  const { runbook, definition } = await loadRunbook(db, slug, lookup);
  const ability = await authorizeVisible(db, actor, {
    action: "view",
    subjectType: "Runbook",
    subject: asRunbook(runbook),
    subjectId: slug,
    label: slug,
    notFoundMessage: `no runbook "${slug}"`,
  });
  return {
    ...toRunbookSummary(runbook, actor, ability),
    timeout: definition.timeout,
    parameters: definition.parameters,
    command: definition.command ?? null,
    script: definition.script ?? null,
    args: definition.args ?? null,
    steps:
      definition.steps?.map((step) => ({ id: step.id, title: step.title, kind: stepKind(step), when: step.when ?? null, approvals: stepApprovalsRequired(step) })) ?? null,
  };
}
