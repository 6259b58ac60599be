import { and, asc, isNull } from "drizzle-orm";
import { database } from "../../db";
import { runbooks } from "../../db/schema";
import type { Actor } from "../actor";
import { visibleRunbooks } from "../access/visible";
import { authorize } from "../authorize";
import { toRunbookSummary, type RunbookSummary } from "./runbook-dto";

/** The runbooks the actor may view, filtered in the query. */
export async function listRunbooks(actor: Actor): Promise<RunbookSummary[]> {
  const { db } = await database();
  const ability = await authorize(db, actor, { action: "view", subjectType: "Runbook" });
  const rows = await db
    .select()
    .from(runbooks)
    .where(and(isNull(runbooks.archivedAt), visibleRunbooks(ability)))
    .orderBy(asc(runbooks.title));
  return rows.map((row) => toRunbookSummary(row, actor, ability));
}
