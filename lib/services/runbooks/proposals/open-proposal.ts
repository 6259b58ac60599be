import { recordAudit, type AuditActor } from "../../../audit/record";
import type { Db } from "../../../db/client";
import { runbookProposals } from "../../../db/schema";
import type { RunbookDefinition } from "../../../runbooks/definition";

export interface NewProposal {
  slug: string;
  /** The version it changes; null for a new runbook. */
  baseVersionHash: string | null;
  definition: RunbookDefinition;
  versionHash: string;
  message: string;
  /** Null for a change that came from a runbook file, named by authorLabel. */
  authorId: string | null;
  authorLabel?: string;
}

/** Opens a proposal and records `runbook.proposed` with it, in the caller's transaction. Returns its id. */
export async function openProposal(tx: Db, proposal: NewProposal, actor: AuditActor, details: Record<string, unknown>): Promise<string> {
  const [created] = await tx
    .insert(runbookProposals)
    .values({ ...proposal, authorLabel: proposal.authorLabel ?? null, status: "open" })
    .returning({ id: runbookProposals.id });
  if (!created) throw new Error("proposal insert returned nothing");
  await recordAudit(tx, {
    actor,
    action: "runbook.proposed",
    outcome: "success",
    subjectType: "runbook",
    subjectId: proposal.slug,
    versionHash: proposal.versionHash,
    details: { proposal: created.id, ...details },
  });
  return created.id;
}
