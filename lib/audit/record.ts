import { desc, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "../db/client";
import { auditEvents } from "../db/schema";
import { canonicalJson, sha256Hex } from "../hashing";
import { wellFormedJson, wellFormedText } from "./well-formed";

export interface AuditActor {
  type: "user" | "token" | "system" | "anonymous";
  id?: string;
  email?: string;
  ip?: string;
  userAgent?: string;
}

export interface AuditEventInput {
  actor: AuditActor;
  action: string;
  outcome: "success" | "denied" | "failure";
  subjectType?: string;
  subjectId?: string;
  versionHash?: string;
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = "0".repeat(64);
/** An email as RFC 5321 bounds it; longer ones are cut when recorded. */
export const MAX_EMAIL_CHARS = 320;
/** A User-Agent is truncated when stored, never refused. */
export const MAX_USER_AGENT_CHARS = 512;
const AUDIT_CHAIN_LOCK = 0x68_72_61_69; // "hrai": serialises writers so the chain never forks

/**
 * sha256(prev_hash + canonical JSON of the event's content): every column except the positions
 * (id, seq), prev_hash and hash itself. Positions are checked through the links instead.
 */
export function auditHash(prevHash: string, row: { at: Date | string } & Record<string, unknown>): string {
  const at = row.at instanceof Date ? row.at.toISOString() : row.at;
  return sha256Hex(prevHash + canonicalJson({ ...row, at }));
}

/**
 * Appends one event to the chain. Call it with the transaction that makes the change it records,
 * so the event and the change commit together; on a bare handle it opens its own transaction.
 */
function isTransaction(db: Db): boolean {
  return db instanceof PgTransaction;
}

export async function recordAudit(db: Db, input: AuditEventInput): Promise<void> {
  // Inside the caller's transaction the event commits with the change it records; a nested
  // transaction would only add a savepoint round trip.
  const append = async (tx: Db) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [last] = await tx.select({ hash: auditEvents.hash, seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
    const prevHash = last?.hash ?? GENESIS_HASH;
    // Hashed over exactly what is stored: well-formed text, headers cut to their bounds.
    const text = (value: string | undefined, maxLength?: number) => (value === undefined ? null : wellFormedText(value, maxLength));
    const content = {
      at: new Date(),
      actorType: input.actor.type,
      actorId: text(input.actor.id, 200),
      actorEmail: text(input.actor.email, MAX_EMAIL_CHARS),
      action: wellFormedText(input.action, 100),
      outcome: input.outcome,
      subjectType: text(input.subjectType, 100),
      subjectId: text(input.subjectId, 200),
      versionHash: text(input.versionHash, 100),
      details: wellFormedJson(input.details ?? {}) as Record<string, unknown>,
      ip: text(input.actor.ip, 100),
      userAgent: text(input.actor.userAgent, MAX_USER_AGENT_CHARS),
    };
    await tx.insert(auditEvents).values({ ...content, seq: (last?.seq ?? 0) + 1, prevHash, hash: auditHash(prevHash, content) });
  };
  if (isTransaction(db)) await append(db);
  else await db.transaction((tx) => append(tx));
}
