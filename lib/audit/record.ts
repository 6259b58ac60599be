import { desc, sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { rowsOf, type Db } from "../db/client";
import { runsAlone } from "../db/runs-alone";
import { auditEvents } from "../db/schema";
import { canonicalJson, sha256Hex } from "../hashing";
import { wellFormedJson, wellFormedText } from "./well-formed";

export interface AuditActor {
  /** `service`: a service account (always through one of its tokens). */
  type: "user" | "token" | "service" | "system" | "anonymous";
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

function isTransaction(db: Db): boolean {
  return db instanceof PgTransaction;
}

/** The event as stored and hashed: well-formed text, headers cut to their bounds. */
function storedContent(input: AuditEventInput, at: Date) {
  const text = (value: string | undefined, maxLength?: number) => (value === undefined ? null : wellFormedText(value, maxLength));
  return {
    at,
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
}

/**
 * Appends events to the chain, in the order given. Call it with the transaction that makes the
 * change they record, so the events and the change commit together; on a bare handle it opens its
 * own transaction. Several events cost the round trips of one.
 */
export async function recordAudit(db: Db, ...inputs: [AuditEventInput, ...AuditEventInput[]]): Promise<void> {
  // Inside the caller's transaction a nested transaction would only add a savepoint round trip.
  const append = async (tx: Db) => {
    await lockAuditChain(tx);
    await appendAudit(tx, await readAuditHead(tx), ...inputs);
  };
  if (isTransaction(db)) await append(db);
  else await db.transaction((tx) => append(tx));
}

/** The newest event of the chain, read under its lock. */
export interface AuditChainHead {
  hash: string;
  seq: number;
}

/** Takes the chain's lock for the rest of the transaction `tx`: writers append one after another, so the chain never forks. */
export async function lockAuditChain(tx: Db): Promise<void> {
  if (runsAlone(tx)) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
}

/**
 * The head of the chain. Send it after `lockAuditChain`, in the same transaction (its answer need
 * not have come back: statements run in the order they are sent, and a statement's snapshot is
 * taken when it starts, so it sees the head as the lock's previous holder committed it).
 */
export async function readAuditHead(tx: Db): Promise<AuditChainHead> {
  const [last] = await tx.select({ hash: auditEvents.hash, seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return { hash: last?.hash ?? GENESIS_HASH, seq: last?.seq ?? 0 };
}

/** `readAuditHead`, and in the same statement whether `condition` holds: one statement less for a caller that needs both under the same locks. */
export async function readAuditHeadAnd(tx: Db, condition: SQL): Promise<{ head: AuditChainHead; holds: boolean }> {
  const [row] = rowsOf<{ hash: string | null; seq: number | string | null; holds: boolean }>(
    await tx.execute(sql`
      select head.hash, head.seq, ${condition} as holds
      from (values (1)) as one left join (select hash, seq from audit_events order by seq desc limit 1) as head on true`),
  );
  return { head: { hash: row?.hash ?? GENESIS_HASH, seq: Number(row?.seq ?? 0) }, holds: row?.holds === true };
}

/** Appends events after the chain head read under the lock in the same transaction, in the order given. */
export async function appendAudit(tx: Db, head: AuditChainHead, ...inputs: [AuditEventInput, ...AuditEventInput[]]): Promise<void> {
  let prevHash = head.hash;
  let seq = head.seq;
  const at = new Date();
  const rows = inputs.map((input) => {
    const content = storedContent(input, at);
    const hash = auditHash(prevHash, content);
    const row = { ...content, seq: ++seq, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.insert(auditEvents).values(rows);
}
