import { database } from "../../../db";
import { AppError, invalidInput } from "../../../errors";
import { asRunbook } from "../../../policy/ability";
import { versionHash } from "../../../runbooks/load";
import { auditActorOf, type Actor } from "../../actor";
import { authorize } from "../../authorize";
import { findRunbook, parseDefinitionYaml, requireHandrailManaged, requireMessage, requireVisibleRunbook } from "../authoring/authoring-rules";
import { openProposal } from "./open-proposal";

export interface ProposeInput {
  yaml: string;
  message: string;
  /** The runbook a change is for; absent for a new runbook. */
  slug?: string;
}

/** Drafts a new runbook or a change for review. Nothing runnable changes until another person publishes it. */
export async function proposeRunbook(actor: Actor, input: ProposeInput): Promise<{ id: string }> {
  const { db } = await database();
  // Authorise before parsing: someone who may propose nothing never gets the YAML looked at.
  const mayPropose = await authorize(db, actor, { action: "propose", subjectType: "Runbook" });
  const definition = parseDefinitionYaml(input.yaml);
  const message = requireMessage(input.message);
  const slug = input.slug ?? definition.slug;
  if (definition.slug !== slug) throw invalidInput("slug", `the slug cannot change from "${slug}" to "${definition.slug}"; propose a new runbook instead`);
  const ability = await authorize(db, actor, { ability: mayPropose, action: "propose", subjectType: "Runbook", subject: asRunbook(definition), subjectId: slug, label: slug });
  const found = input.slug === undefined ? await findRunbook(db, slug) : (await requireVisibleRunbook(db, actor, slug, ability)).row;
  // A runbook the proposer may not see answers as a missing one: the proposal is for a new runbook,
  // and the clash is for a reviewer who can see both to resolve (publishing it then refuses).
  const existing = found && ability.can("view", asRunbook(found)) ? found : undefined;
  const hash = versionHash(definition);
  if (existing) {
    if (input.slug === undefined) throw new AppError("conflict", `a runbook "${slug}" already exists; propose a change to it instead`);
    requireHandrailManaged(existing);
    if (existing.archivedAt) throw new AppError("conflict", `runbook "${slug}" is archived`);
    await authorize(db, actor, { ability, action: "propose", subjectType: "Runbook", subject: asRunbook(existing), subjectId: slug, label: slug });
    if (existing.currentVersionHash === hash) throw invalidInput("yaml", "the proposal is identical to the current version: change something first");
  }
  const base = existing?.currentVersionHash ?? null;
  const proposal = { slug, baseVersionHash: base, definition, versionHash: hash, message, authorId: actor.user.id };
  const details = { kind: existing ? "change" : "new", message, ...(base ? { base } : {}) };
  return { id: await db.transaction((tx) => openProposal(tx, proposal, auditActorOf(actor), details)) };
}
