import type { Db } from "../../../db/client";
import { config } from "../../../config/env";
import type { RunbookDefinition } from "../../../runbooks/definition";
import { loosenings } from "../../../runbooks/loosenings";
import { auditActorOf, type Actor } from "../../actor";
import { openProposal } from "../proposals/open-proposal";
import { definitionOf } from "./history";

/** A change that loosens a safety net: held as a proposal another editor must publish. */
export interface PendingReview {
  status: "pending_review";
  slug: string;
  proposal: { id: string };
  loosens: string[];
}

export interface ProposedChange {
  slug: string;
  currentVersionHash: string;
  definition: RunbookDefinition;
  versionHash: string;
  message: string;
  /** How the change was made: an edit, or a restore of an old version. */
  via: "save" | "restore";
}

/** What going from the current version to `definition` would loosen (empty: nothing). */
export async function looseningsOf(db: Db, currentVersionHash: string, definition: RunbookDefinition): Promise<string[]> {
  return loosenings(await definitionOf(db, currentVersionHash), definition, { defaultApprovalExpiresAfterMs: config().approvalExpiresAfterMs });
}

/**
 * Inside the caller's transaction, with the runbook's history locked: when the change loosens a
 * safety net, records it as an open proposal by the actor (who can then never publish it) instead
 * of applying it, and says what it loosens. Undefined when the change loosens nothing.
 */
export async function holdIfLoosening(tx: Db, actor: Actor, change: ProposedChange): Promise<PendingReview | undefined> {
  const loosens = await looseningsOf(tx, change.currentVersionHash, change.definition);
  if (loosens.length === 0) return undefined;
  const proposal = {
    slug: change.slug,
    baseVersionHash: change.currentVersionHash,
    definition: change.definition,
    versionHash: change.versionHash,
    message: change.message,
    authorId: actor.user.id,
  };
  const details = { kind: "change", via: change.via, loosens, message: change.message, base: change.currentVersionHash };
  const id = await openProposal(tx, proposal, auditActorOf(actor), details);
  return { status: "pending_review", slug: change.slug, proposal: { id }, loosens };
}

export function isPendingReview(result: object): result is PendingReview {
  return (result as Partial<PendingReview>).status === "pending_review";
}
