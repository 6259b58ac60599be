import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../../db/client";
import { runbookProposals, runbooks, users, type ProposalStatus } from "../../../db/schema";
import { asRunbook, type AppAbility } from "../../../policy/ability";
import type { RunbookDefinition } from "../../../runbooks/definition";
import type { Actor } from "../../actor";

export interface ProposalSummary {
  id: string;
  slug: string;
  title: string;
  /** new: a runbook that does not exist yet; change: an edit of an existing one. */
  kind: "new" | "change";
  message: string;
  status: ProposalStatus;
  /** Who drafted it: a user, or (id null) the runbook file a sync read, named in `email`. */
  author: { id: string | null; email: string };
  reviewer: { id: string; email: string } | null;
  reviewComment: string | null;
  createdAt: string;
  reviewedAt: string | null;
  /** The runbook changed after the proposal was drafted, so it cannot be published as is. */
  stale: boolean;
  /** Open, the actor may edit the runbook, and is not the author. */
  canReview: boolean;
  /** The author may withdraw an open proposal. */
  canWithdraw: boolean;
}

const reviewers = alias(users, "reviewers");

export function proposalQuery(db: Db) {
  return db
    .select({
      proposal: runbookProposals,
      authorEmail: users.email,
      reviewerEmail: reviewers.email,
      currentHash: runbooks.currentVersionHash,
      currentRow: runbooks,
    })
    .from(runbookProposals)
    .leftJoin(users, eq(users.id, runbookProposals.authorId))
    .leftJoin(reviewers, eq(reviewers.id, runbookProposals.reviewerId))
    .leftJoin(runbooks, eq(runbooks.slug, runbookProposals.slug));
}

export type ProposalRow = Awaited<ReturnType<ReturnType<typeof proposalQuery>["execute"]>>[number];

/** Who may see a proposal: its author, and whoever may edit the runbook it proposes (as drafted and as it is now). */
export function canSeeProposal(row: ProposalRow, actor: Actor, ability: AppAbility): boolean {
  if (row.proposal.authorId === actor.user.id) return true;
  // A reviewer must be allowed to see the runbook as well as edit it, as proposed and as it is now:
  // a runbook hidden from someone is hidden in its proposals too.
  const proposed = asRunbook(row.proposal.definition as RunbookDefinition);
  const current = row.currentRow ? asRunbook(row.currentRow) : undefined;
  const mayReview = (subject: ReturnType<typeof asRunbook>) => ability.can("view", subject) && ability.can("edit", subject);
  return mayReview(proposed) && (!current || mayReview(current));
}

export function isStale(row: ProposalRow): boolean {
  return row.proposal.baseVersionHash === null ? row.currentRow !== null : row.currentHash !== row.proposal.baseVersionHash;
}

export function toProposalSummary(row: ProposalRow, actor: Actor, ability: AppAbility): ProposalSummary {
  const { proposal } = row;
  const definition = proposal.definition as RunbookDefinition;
  const open = proposal.status === "open";
  const isAuthor = proposal.authorId === actor.user.id;
  return {
    id: proposal.id,
    slug: proposal.slug,
    title: definition.title,
    kind: proposal.baseVersionHash === null ? "new" : "change",
    message: proposal.message,
    status: proposal.status,
    author: { id: proposal.authorId, email: row.authorEmail ?? proposal.authorLabel ?? "a runbook file" },
    reviewer: proposal.reviewerId && row.reviewerEmail ? { id: proposal.reviewerId, email: row.reviewerEmail } : null,
    reviewComment: proposal.reviewComment,
    createdAt: proposal.createdAt.toISOString(),
    reviewedAt: proposal.reviewedAt?.toISOString() ?? null,
    // Staleness tells that a runbook exists: say it only to someone who may see that runbook.
    stale: open && isStale(row) && (!row.currentRow || ability.can("view", asRunbook(row.currentRow))),
    canReview: open && !isAuthor && canSeeProposal(row, actor, ability),
    canWithdraw: open && isAuthor,
  };
}
