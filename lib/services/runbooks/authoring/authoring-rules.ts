import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runbooks } from "../../../db/schema";
import { AppError, invalidInput, notFound } from "../../../errors";
import { parseRunbookYaml } from "../../../runbooks/source";
import type { RunbookDefinition } from "../../../runbooks/definition";
import type { Actor } from "../../actor";
import { authorizeVisible } from "../../authorize";
import { asRunbook, type AppAbility } from "../../../policy/ability";
import type { RevisionAuthor } from "../revisions";

export type RunbookRow = typeof runbooks.$inferSelect;

/** A runbook whether archived or not; undefined when there is none. */
export async function findRunbook(db: Db, slug: string): Promise<RunbookRow | undefined> {
  const [row] = await db.select().from(runbooks).where(eq(runbooks.slug, slug));
  return row;
}

export async function requireRunbook(db: Db, slug: string): Promise<RunbookRow> {
  const row = await findRunbook(db, slug);
  if (!row) throw notFound(`no runbook "${slug}"`);
  return row;
}

/**
 * A runbook the actor may see, or a 404 exactly like a missing one, before any other check can
 * reveal that it exists. Returns the ability for the checks that follow.
 */
export async function requireVisibleRunbook(db: Db, actor: Actor, slug: string, known?: AppAbility): Promise<{ row: RunbookRow; ability: AppAbility }> {
  const row = await requireRunbook(db, slug);
  const ability = await authorizeVisible(db, actor, { ...(known ? { ability: known } : {}), action: "view", subjectType: "Runbook", subject: asRunbook(row), subjectId: slug, label: slug, notFoundMessage: `no runbook "${slug}"` });
  return { row, ability };
}

/** Runbooks loaded from files change in git, never here: the UI would be overwritten at the next sync. */
export function requireHandrailManaged(row: RunbookRow): void {
  if (row.source === "file") {
    throw new AppError(
      "conflict",
      `runbook "${row.slug}" is managed by the file ${row.sourcePath ?? "(unknown)"}: change it there and run \`handrail runbooks sync\``,
    );
  }
}

const missingText: Record<string, string> = {
  message: "say what changed and why (message is required)",
  reason: "say why (reason is required)",
};

/** A save, restore or archive says why, like a commit message. */
export function requireMessage(value: unknown, field: "message" | "reason" = "message"): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) throw invalidInput(field, missingText[field] ?? `${field} is required`);
  if (text.length > 1000) throw invalidInput(field, `${field} is longer than 1000 characters`);
  return text;
}

export function parseDefinitionYaml(yaml: unknown): RunbookDefinition {
  if (typeof yaml !== "string" || yaml.trim() === "") throw invalidInput("yaml", "the runbook definition is empty");
  const parsed = parseRunbookYaml(yaml);
  if (!parsed.ok) {
    const [first] = parsed.errors;
    throw invalidInput(first?.field ?? "yaml", parsed.errors.map((error) => `${error.field}: ${error.message}`).join("; "));
  }
  return parsed.definition;
}

export function revisionAuthorOf(actor: Actor): RevisionAuthor {
  return { label: actor.user.email, userId: actor.user.id };
}
