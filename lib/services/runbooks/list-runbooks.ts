import { and, asc, isNotNull, isNull } from "drizzle-orm";
import { database } from "../../db";
import { runbooks } from "../../db/schema";
import type { Actor } from "../actor";
import { visibleRunbooks } from "../access/visible";
import { authorize } from "../authorize";
import { toRunbookSummary, type RunbookSummary } from "./runbook-dto";

export interface ListRunbooksOptions {
  /** List the archived runbooks instead of the active ones (never runnable). */
  archived?: boolean;
}

/** The runbooks the actor may view, filtered in the query. */
export async function listRunbooks(actor: Actor, options: ListRunbooksOptions = {}): Promise<RunbookSummary[]> {
  const { db } = await database();
  const ability = await authorize(db, actor, { action: "view", subjectType: "Runbook" });
  const rows = await db
    .select()
    .from(runbooks)
    .where(and(options.archived ? isNotNull(runbooks.archivedAt) : isNull(runbooks.archivedAt), visibleRunbooks(ability)))
    .orderBy(asc(runbooks.title));
  return rows.map((row) => toRunbookSummary(row, actor, ability));
}
