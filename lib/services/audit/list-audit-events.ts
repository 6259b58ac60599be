import { and, asc, eq } from "drizzle-orm";
import { database } from "../../db";
import { auditEvents } from "../../db/schema";
import type { ChainRow } from "../../audit/verify";
import type { Actor } from "../actor";
import { authorize } from "../authorize";
import { getRun } from "../runs/get-run";
import { auditPage, chainRows, toChainRow, type AuditFilters } from "./chain-rows";

export interface AuditEventPage {
  events: ChainRow[];
  nextBefore: number | null;
}

/** The timeline: auditors and admins only. */
export async function listAuditEvents(actor: Actor, filters: AuditFilters, page: { limit?: number | undefined; before?: number | undefined }): Promise<AuditEventPage> {
  const { db } = await database();
  await authorize(db, actor, { action: "view", subjectType: "AuditEvent" });
  return auditPage(db, filters, Math.min(Math.max(page.limit ?? 50, 1), 500), page.before);
}

/** A run's own record, for everyone who may see the run. */
export async function runAuditTrail(actor: Actor, runId: number): Promise<ChainRow[]> {
  await getRun(actor, runId);
  const { db } = await database();
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "run"), eq(auditEvents.subjectId, String(runId))))
    .orderBy(asc(auditEvents.seq));
  return rows.map(toChainRow);
}

/** For exports: a filtered range in chain order, streamed. */
export async function exportAuditEvents(actor: Actor, filters: AuditFilters): Promise<AsyncGenerator<ChainRow>> {
  const { db } = await database();
  await authorize(db, actor, { action: "export", subjectType: "AuditEvent" });
  return chainRows(db, filters);
}
