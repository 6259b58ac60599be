import { and, eq } from "drizzle-orm";
import { transactionWithNotices } from "../../../runs/notices";
import { database } from "../../../db";
import { recordAudit } from "../../../audit/record";
import { runbookRevisions } from "../../../db/schema";
import { AppError, notFound } from "../../../errors";
import { asRunbook } from "../../../policy/ability";
import { auditActorOf, type Actor } from "../../actor";
import { authorize } from "../../authorize";
import { appendRevision, lockRunbookHistory } from "../revisions";
import { requireHandrailManaged, requireMessage, requireVisibleRunbook, revisionAuthorOf } from "./authoring-rules";
import { definitionOf } from "./history";
import { holdIfLoosening, type PendingReview } from "./hold-loosening";
import type { SavedRunbook } from "./save-runbook";

/**
 * Makes an old version current again as a new history entry (own author, time, message) with the
 * old content hash. A restore that loosens a safety net becomes a proposal another editor publishes.
 */
export async function restoreRevision(actor: Actor, slug: string, number: number, message: unknown): Promise<SavedRunbook | PendingReview> {
  const handle = await database();
  const { db } = handle;
  const visible = await requireVisibleRunbook(db, actor, slug);
  const { row } = visible;
  const ability = await authorize(db, actor, { ability: visible.ability, action: "edit", subjectType: "Runbook", subject: asRunbook(row), subjectId: slug, label: slug });
  requireHandrailManaged(row);
  if (row.archivedAt) throw new AppError("conflict", `runbook "${slug}" is archived; unarchive it before restoring a version`);
  const why = requireMessage(message);
  const [target] = await db.select().from(runbookRevisions).where(and(eq(runbookRevisions.slug, slug), eq(runbookRevisions.number, number)));
  if (!target) throw notFound(`runbook "${slug}" has no version ${number}`);
  if (target.versionHash === row.currentVersionHash) throw new AppError("conflict", `version ${number} is already the current content of "${slug}"`);
  const definition = await definitionOf(db, target.versionHash);
  // The restored content must be editable by this actor too (e.g. an old owner they have no rights on).
  await authorize(db, actor, { ability, action: "edit", subjectType: "Runbook", subject: asRunbook(definition), subjectId: slug, label: slug });
  return transactionWithNotices(handle, async (tx, notices) => {
    await lockRunbookHistory(tx, slug);
    const held = await holdIfLoosening(tx, actor, { slug, currentVersionHash: row.currentVersionHash, definition, versionHash: target.versionHash, message: why, via: "restore" });
    if (held) return held;
    const revision = await appendRevision(
      tx,
      { slug, definition, versionHash: target.versionHash, kind: "restored", author: revisionAuthorOf(actor), message: why, restoredFrom: number },
      { kind: "ui", path: null },
      notices,
    );
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "runbook.restored",
      outcome: "success",
      subjectType: "runbook",
      subjectId: slug,
      versionHash: target.versionHash,
      details: { revision, restoredFrom: number, message: why, before: { version: row.currentVersionHash }, after: { version: target.versionHash } },
    });
    return { slug, revision, versionHash: target.versionHash, changed: true };
  });
}
