import { and, desc, eq } from "drizzle-orm";
import { database } from "../../../db";
import { runbookProposals, type ProposalStatus } from "../../../db/schema";
import { notFound } from "../../../errors";
import type { RunbookDefinition } from "../../../runbooks/definition";
import { sideBySide, type DiffRow } from "../../../runbooks/side-by-side";
import { definitionToYaml } from "../../../runbooks/source";
import type { AppAbility } from "../../../policy/ability";
import { abilityFor, type Actor } from "../../actor";
import { definitionOf } from "../authoring/history";
import { looseningsOf } from "../authoring/hold-loosening";
import { canSeeProposal, proposalQuery, toProposalSummary, type ProposalSummary } from "./proposal-dto";

export interface ProposalDetail extends ProposalSummary {
  yaml: string;
  /** The version it was drafted against, as YAML; empty for a new runbook. */
  baseYaml: string;
  /** Proposed against its base: exactly what publishing changes. */
  rows: DiffRow[];
  /** The safety nets publishing it would loosen (empty for a new runbook or a tightening change). */
  loosens: string[];
  definition: RunbookDefinition;
}

/**
 * Proposals the actor wrote or may review, newest first; optionally only one status. Pass the
 * ability when the caller already built it for this request (the nav does), to skip reloading policies.
 */
export async function listProposals(actor: Actor, status?: ProposalStatus, known?: AppAbility): Promise<ProposalSummary[]> {
  const { db } = await database();
  const ability = known ?? (await abilityFor(actor));
  const rows = await proposalQuery(db)
    .where(status ? eq(runbookProposals.status, status) : undefined)
    .orderBy(desc(runbookProposals.createdAt))
    .limit(500);
  return rows.filter((row) => canSeeProposal(row, actor, ability)).map((row) => toProposalSummary(row, actor, ability));
}

/** How many open proposals this person may see, for the nav: the list's rule, without its summaries. */
export async function countOpenProposals(actor: Actor, ability: AppAbility): Promise<number> {
  const { db } = await database();
  const rows = await proposalQuery(db).where(eq(runbookProposals.status, "open")).limit(500);
  return rows.filter((row) => canSeeProposal(row, actor, ability)).length;
}

export async function getProposal(actor: Actor, id: string): Promise<ProposalDetail> {
  const { db } = await database();
  const ability = await abilityFor(actor);
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const [row] = isUuid ? await proposalQuery(db).where(eq(runbookProposals.id, id)) : [];
  // Someone who may not see it learns nothing, not even that it exists.
  if (!row || !canSeeProposal(row, actor, ability)) throw notFound(`no proposal ${id}`);
  const definition = row.proposal.definition as RunbookDefinition;
  const yaml = definitionToYaml(definition);
  const base = row.proposal.baseVersionHash;
  const baseYaml = base ? definitionToYaml(await definitionOf(db, base)) : "";
  const loosens = base ? await looseningsOf(db, base, definition) : [];
  return { ...toProposalSummary(row, actor, ability), yaml, baseYaml, rows: sideBySide(baseYaml, yaml), definition, loosens };
}

export interface PendingLoosening {
  id: string;
  author: ProposalSummary["author"];
  loosens: string[];
  stale: boolean;
}

/** Open proposals for a runbook that would loosen its safety nets, as far as the actor may see them: for the runbook page. */
export async function pendingLoosenings(actor: Actor, slug: string, known?: AppAbility): Promise<PendingLoosening[]> {
  const { db } = await database();
  const ability = known ?? (await abilityFor(actor));
  const rows = await proposalQuery(db)
    .where(and(eq(runbookProposals.slug, slug), eq(runbookProposals.status, "open")))
    .orderBy(desc(runbookProposals.createdAt))
    .limit(20);
  const pending: PendingLoosening[] = [];
  for (const row of rows) {
    const base = row.proposal.baseVersionHash;
    if (!base || !canSeeProposal(row, actor, ability)) continue;
    const loosens = await looseningsOf(db, base, row.proposal.definition as RunbookDefinition);
    if (loosens.length === 0) continue;
    const summary = toProposalSummary(row, actor, ability);
    pending.push({ id: summary.id, author: summary.author, loosens, stale: summary.stale });
  }
  return pending;
}
