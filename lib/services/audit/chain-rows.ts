import { and, asc, desc, eq, gt, gte, ilike, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { auditEvents } from "../../db/schema";
import type { ChainRow } from "../../audit/verify";

export interface AuditFilters {
  /** Actor email (substring, case-insensitive). */
  actor?: string | undefined;
  action?: string | undefined;
  /** Events about this runbook: the runbook itself, or runs and denials that name it. */
  runbook?: string | undefined;
  outcome?: "success" | "denied" | "failure" | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Free text, matched against action, actor, subject and details. */
  q?: string | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (match) => `\\${match}`);

export function auditConditions(filters: AuditFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.actor) conditions.push(ilike(auditEvents.actorEmail, `%${escapeLike(filters.actor)}%`));
  if (filters.action) conditions.push(eq(auditEvents.action, filters.action));
  if (filters.outcome) conditions.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.from) conditions.push(gte(auditEvents.at, filters.from));
  if (filters.to) conditions.push(lte(auditEvents.at, filters.to));
  if (filters.runbook) {
    const about = or(and(eq(auditEvents.subjectType, "runbook"), eq(auditEvents.subjectId, filters.runbook)), sql`${auditEvents.details}->>'runbook' = ${filters.runbook}`);
    if (about) conditions.push(about);
  }
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    const text = or(
      ilike(auditEvents.action, pattern),
      ilike(auditEvents.actorEmail, pattern),
      ilike(auditEvents.subjectId, pattern),
      sql`${auditEvents.details}::text ilike ${pattern}`,
    );
    if (text) conditions.push(text);
  }
  return conditions;
}

export function toChainRow(row: typeof auditEvents.$inferSelect): ChainRow {
  return { ...row, details: row.details };
}

/** Events in chain order, read in batches so a million rows never sit in memory at once. */
export async function* chainRows(db: Db, filters: AuditFilters = {}, batchSize = 2000): AsyncGenerator<ChainRow> {
  let afterSeq = 0;
  const conditions = auditConditions(filters);
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(and(gt(auditEvents.seq, afterSeq), ...conditions))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of batch) yield toChainRow(row);
    if (batch.length < batchSize) return;
    afterSeq = batch.at(-1)?.seq ?? afterSeq;
  }
}

/**
 * Newest first, one page at a time (keyset). With a time range the page walks the `at` index —
 * events cluster in time, so walking ids back to an old window would read most of the table.
 */
export async function auditPage(db: Db, filters: AuditFilters, limit: number, before?: number) {
  const byTime = filters.from !== undefined || filters.to !== undefined;
  const keyset = before
    ? byTime
      ? sql`(${auditEvents.at}, ${auditEvents.id}) < (select at, id from audit_events where id = ${before})`
      : lt(auditEvents.id, before)
    : undefined;
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...auditConditions(filters), keyset))
    .orderBy(...(byTime ? [desc(auditEvents.at), desc(auditEvents.id)] : [desc(auditEvents.id)]))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { events: page.map(toChainRow), nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
