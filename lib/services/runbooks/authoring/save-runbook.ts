import { transactionWithNotices } from "../../../runs/notices";
import { database } from "../../../db";
import { recordAudit } from "../../../audit/record";
import { AppError, invalidInput } from "../../../errors";
import { asRunbook } from "../../../policy/ability";
import { versionHash } from "../../../runbooks/load";
import { auditActorOf, type Actor } from "../../actor";
import { authorize } from "../../authorize";
import { appendRevision, currentRevisionNumber, lockRunbookHistory } from "../revisions";
import { holdIfLoosening, type PendingReview } from "./hold-loosening";
import { findRunbook, parseDefinitionYaml, requireHandrailManaged, requireMessage, requireVisibleRunbook, revisionAuthorOf } from "./authoring-rules";

export interface SaveRunbookInput {
  yaml: string;
  message: string;
  /** Set when editing: the runbook being edited (its slug cannot change). Absent when creating. */
  slug?: string;
  /** The history entry the editor was opened at; a newer one means someone else saved meanwhile. */
  baseRevision?: number;
}

export interface SavedRunbook {
  slug: string;
  revision: number;
  versionHash: string;
  changed: boolean;
}

/**
 * Creates or edits a Handrail-authored runbook: a new immutable version and history entry, audited.
 * An edit that loosens a safety net is not applied: it becomes a proposal another editor publishes.
 */
export async function saveRunbook(actor: Actor, input: SaveRunbookInput): Promise<SavedRunbook | PendingReview> {
  const handle = await database();
  const { db } = handle;
  // Authorise before parsing: someone who may edit no runbook at all never gets the YAML looked at.
  const mayEdit = await authorize(db, actor, { action: "edit", subjectType: "Runbook" });
  const definition = parseDefinitionYaml(input.yaml);
  const message = requireMessage(input.message);
  const slug = input.slug ?? definition.slug;
  if (definition.slug !== slug) throw invalidInput("slug", `the slug cannot change from "${slug}" to "${definition.slug}"; create a new runbook instead`);
  const visible = input.slug === undefined ? undefined : await requireVisibleRunbook(db, actor, slug, mayEdit);
  const existing = visible ? visible.row : await findRunbook(db, slug);
  const ability = await authorize(db, actor, { ...(visible ? { ability: visible.ability } : {}), action: "edit", subjectType: "Runbook", subject: asRunbook(definition), subjectId: slug, label: slug });
  if (existing) {
    if (input.slug === undefined) throw new AppError("conflict", `a runbook "${slug}" already exists; choose another slug`);
    requireHandrailManaged(existing);
    // Moving a runbook to another owner needs edit rights on it as it is, too.
    await authorize(db, actor, { ability, action: "edit", subjectType: "Runbook", subject: asRunbook(existing), subjectId: slug, label: slug });
    if (existing.archivedAt) throw new AppError("conflict", `runbook "${slug}" is archived; unarchive it before editing`);
  }
  const hash = versionHash(definition);
  return transactionWithNotices(handle, async (tx, notices) => {
    await lockRunbookHistory(tx, slug);
    const current = await currentRevisionNumber(tx, slug);
    if (input.baseRevision !== undefined && existing && input.baseRevision !== current) {
      throw new AppError("conflict", `runbook "${slug}" changed since you opened it (now at version ${current}, you started from ${input.baseRevision}); reload and apply your change again`);
    }
    if (existing && existing.currentVersionHash === hash) return { slug, revision: current, versionHash: hash, changed: false };
    if (existing) {
      const held = await holdIfLoosening(tx, actor, { slug, currentVersionHash: existing.currentVersionHash, definition, versionHash: hash, message, via: "save" });
      if (held) return held;
    }
    const revision = await appendRevision(
      tx,
      { slug, definition, versionHash: hash, kind: existing ? "edited" : "created", author: revisionAuthorOf(actor), message, sourceYaml: input.yaml },
      { kind: "ui", path: null },
      notices,
    );
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: existing ? "runbook.updated" : "runbook.created",
      outcome: "success",
      subjectType: "runbook",
      subjectId: slug,
      versionHash: hash,
      details: { source: "ui", revision, message, ...(existing ? { before: { version: existing.currentVersionHash }, after: { version: hash } } : {}) },
    });
    return { slug, revision, versionHash: hash, changed: true };
  });
}
