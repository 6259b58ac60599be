import { and, eq } from "drizzle-orm";
import { transactionWithNotices } from "../../../runs/notices";
import { database } from "../../../db";
import { recordAudit } from "../../../audit/record";
import type { Db } from "../../../db/client";
import { runbookProposals, users } from "../../../db/schema";
import { AppError, forbidden, notFound } from "../../../errors";
import { scopeRefusal } from "../../../policy/scopes";
import { asRunbook } from "../../../policy/ability";
import type { RunbookDefinition } from "../../../runbooks/definition";
import { abilityFor, auditActorOf, type Actor } from "../../actor";
import { authorize, recordDenial } from "../../authorize";
import { parseInput } from "../../fields";
import { appendRevision, lockRunbookHistory } from "../revisions";
import { canSeeProposal, isStale, proposalQuery, type ProposalRow } from "./proposal-dto";
import { publishProposalBody, rejectProposalBody } from "./proposal-fields";

type Decision = "publish" | "reject" | "withdraw";

async function loadOpenProposal(db: Db, actor: Actor, id: string): Promise<ProposalRow> {
  const ability = await abilityFor(actor);
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const [row] = isUuid ? await proposalQuery(db).where(eq(runbookProposals.id, id)) : [];
  if (!row || !canSeeProposal(row, actor, ability)) throw notFound(`no proposal ${id}`);
  if (row.proposal.status !== "open") throw new AppError("conflict", `proposal ${id} is already ${row.proposal.status}`);
  return row;
}

/** The author of a proposal never reviews it: not with another token, nor after a role change. */
async function refuseSelfReview(db: Db, actor: Actor, row: ProposalRow, decision: Decision): Promise<void> {
  if (row.proposal.authorId !== actor.user.id) return;
  const message = `you wrote proposal ${row.proposal.id}; someone else must review it (separation of duties)`;
  await recordDenial(db, actor, {
    action: `runbook.proposal_${decision === "publish" ? "published" : "rejected"}`,
    subjectType: "runbook",
    subjectId: row.proposal.slug,
    versionHash: row.proposal.versionHash,
    reason: message,
    details: { proposal: row.proposal.id },
  });
  throw forbidden(message);
}

async function closeProposal(db: Db, id: string, status: "published" | "rejected" | "withdrawn", reviewerId: string | null, comment: string | null) {
  const closed = await db
    .update(runbookProposals)
    .set({ status, reviewerId, reviewComment: comment, reviewedAt: new Date() })
    .where(and(eq(runbookProposals.id, id), eq(runbookProposals.status, "open")))
    .returning({ id: runbookProposals.id });
  if (closed.length === 0) throw new AppError("conflict", `proposal ${id} was reviewed by someone else meanwhile`);
}

/** Publishes a proposal as the runbook's new current version, by someone other than its author; `review` is `{ comment? }` as sent. */
export async function publishProposal(actor: Actor, id: string, review: unknown = {}): Promise<{ slug: string; revision: number }> {
  const handle = await database();
  const { db } = handle;
  const row = await loadOpenProposal(db, actor, id);
  const { proposal } = row;
  const definition = proposal.definition as RunbookDefinition;
  const ability = await authorize(db, actor, { action: "edit", subjectType: "Runbook", subject: asRunbook(definition), subjectId: proposal.slug, label: proposal.slug });
  if (row.currentRow) await authorize(db, actor, { ability, action: "edit", subjectType: "Runbook", subject: asRunbook(row.currentRow), subjectId: proposal.slug, label: proposal.slug });
  await refuseSelfReview(db, actor, row, "publish");
  const note = parseInput(publishProposalBody, review).comment || null;
  const [author] = proposal.authorId ? await db.select({ email: users.email }).from(users).where(eq(users.id, proposal.authorId)) : [];
  const authorLabel = author?.email ?? proposal.authorLabel ?? proposal.authorId ?? "a runbook file";
  return transactionWithNotices(handle, async (tx, notices) => {
    await lockRunbookHistory(tx, proposal.slug);
    const [fresh] = await proposalQuery(tx).where(eq(runbookProposals.id, id));
    if (!fresh || isStale(fresh)) {
      throw new AppError("conflict", `runbook "${proposal.slug}" changed after this proposal was drafted; reject it and ask the author to propose again from the current version`);
    }
    // A runbook file that came back after its runbook was archived brings it back once published.
    if (fresh.currentRow?.archivedAt && fresh.proposal.authorLabel === null) throw new AppError("conflict", `runbook "${proposal.slug}" is archived`);
    await closeProposal(tx, id, "published", actor.user.id, note);
    const revision = await appendRevision(
      tx,
      {
        slug: proposal.slug,
        definition,
        versionHash: proposal.versionHash,
        kind: "published",
        author: { label: authorLabel, ...(proposal.authorId ? { userId: proposal.authorId } : {}) },
        message: proposal.message,
        proposalId: id,
      },
      // A change from a runbook file stays file-managed: the next sync of the same file changes nothing.
      fresh.currentRow?.source === "file" ? { kind: "file", path: fresh.currentRow.sourcePath } : { kind: "ui", path: null },
      notices,
    );
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "runbook.proposal_published",
      outcome: "success",
      subjectType: "runbook",
      subjectId: proposal.slug,
      versionHash: proposal.versionHash,
      details: { proposal: id, revision, author: authorLabel, ...(note ? { comment: note } : {}), ...(proposal.baseVersionHash ? { before: { version: proposal.baseVersionHash } } : {}) },
    });
    return { slug: proposal.slug, revision };
  });
}

/** Rejects a proposal with a comment the author will read; `review` is `{ comment }` as sent. */
export async function rejectProposal(actor: Actor, id: string, review: unknown): Promise<void> {
  const { db } = await database();
  const row = await loadOpenProposal(db, actor, id);
  const definition = row.proposal.definition as RunbookDefinition;
  await authorize(db, actor, { action: "edit", subjectType: "Runbook", subject: asRunbook(definition), subjectId: row.proposal.slug, label: row.proposal.slug });
  await refuseSelfReview(db, actor, row, "reject");
  const why = parseInput(rejectProposalBody, review).comment;
  await db.transaction(async (tx) => {
    await closeProposal(tx, id, "rejected", actor.user.id, why);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "runbook.proposal_rejected",
      outcome: "success",
      subjectType: "runbook",
      subjectId: row.proposal.slug,
      versionHash: row.proposal.versionHash,
      details: { proposal: id, comment: why },
    });
  });
}

/** The author takes back an open proposal. */
export async function withdrawProposal(actor: Actor, id: string): Promise<void> {
  const { db } = await database();
  const row = await loadOpenProposal(db, actor, id);
  if (row.proposal.authorId !== actor.user.id) throw forbidden(`only the author can withdraw proposal ${id}`);
  const lacking = scopeRefusal(actor.scopes, "author", `withdrawing proposal ${id}`);
  if (lacking) {
    await recordDenial(db, actor, { action: "runbook.proposal_withdrawn", subjectType: "runbook", subjectId: row.proposal.slug, reason: lacking, details: { proposal: id } });
    throw forbidden(lacking);
  }
  await db.transaction(async (tx) => {
    await closeProposal(tx, id, "withdrawn", null, null);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "runbook.proposal_withdrawn",
      outcome: "success",
      subjectType: "runbook",
      subjectId: row.proposal.slug,
      versionHash: row.proposal.versionHash,
      details: { proposal: id },
    });
  });
}
