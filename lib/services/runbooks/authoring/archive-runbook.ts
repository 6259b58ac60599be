import { eq } from "drizzle-orm";
import { transactionWithNotices } from "../../../runs/notices";
import { database } from "../../../db";
import { recordAudit } from "../../../audit/record";
import { runbooks } from "../../../db/schema";
import { config } from "../../../config/env";
import { AppError } from "../../../errors";
import { invalidatePendingApprovals } from "../../../runs/expire-approvals";
import { asRunbook } from "../../../policy/ability";
import { auditActorOf, type Actor } from "../../actor";
import { authorize } from "../../authorize";
import { requireHandrailManaged, requireMessage, requireVisibleRunbook } from "./authoring-rules";

/**
 * Archives (or brings back) a Handrail-authored runbook. Nothing is deleted: its versions stay, and
 * runs keep pointing at the version they ran; an archived runbook just cannot be run or edited.
 */
export async function setRunbookArchived(actor: Actor, slug: string, archived: boolean, reason: unknown): Promise<void> {
  const handle = await database();
  const { db } = handle;
  const { row, ability } = await requireVisibleRunbook(db, actor, slug);
  await authorize(db, actor, { ability, action: "edit", subjectType: "Runbook", subject: asRunbook(row), subjectId: slug, label: slug });
  requireHandrailManaged(row);
  const why = requireMessage(reason, "reason");
  if ((row.archivedAt !== null) === archived) throw new AppError("conflict", `runbook "${slug}" is already ${archived ? "archived" : "active"}`);
  await transactionWithNotices(handle, async (tx, notices) => {
    await tx.update(runbooks).set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() }).where(eq(runbooks.slug, slug));
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: archived ? "runbook.archived" : "runbook.unarchived",
      outcome: "success",
      subjectType: "runbook",
      subjectId: slug,
      versionHash: row.currentVersionHash,
      details: { reason: why },
    });
    if (archived) notices.push(...(await invalidatePendingApprovals(tx, { slug, cause: "archived", actor: auditActorOf(actor), publicUrl: config().publicUrl })));
  });
}
