import { asc, isNull } from "drizzle-orm";
import { database } from "../../db";
import { runbooks } from "../../db/schema";
import { asRunbook } from "../../policy/ability";
import { abilityFor, type Actor } from "../actor";
import { authorize } from "../authorize";
import { toRunbookSummary, type RunbookSummary } from "./runbook-dto";

export async function listRunbooks(actor: Actor): Promise<RunbookSummary[]> {
  const { db } = await database();
  await authorize(db, actor, { action: "view", subjectType: "Runbook" });
  const ability = await abilityFor(actor);
  const rows = await db.select().from(runbooks).where(isNull(runbooks.archivedAt)).orderBy(asc(runbooks.title));
  return rows.filter((row) => ability.can("view", asRunbook(row))).map((row) => toRunbookSummary(row, actor, ability));
}
