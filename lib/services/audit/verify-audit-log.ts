import { desc, eq } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { GENESIS_HASH } from "../../audit/record";
import { verifyChain, type VerifyResult } from "../../audit/verify";
import type { Actor } from "../actor";
import { authorize } from "../authorize";
import { chainRows } from "./chain-rows";

/** Walks the whole chain in the database. */
export function verifyStoredChain(db: Db): Promise<VerifyResult> {
  return verifyChain(chainRows(db), {
    hashExists: async (hash) => (await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.hash, hash)).limit(1)).length > 0,
  });
}

export interface ChainHead {
  seq: number;
  id: number | null;
  hash: string;
  at: string | null;
}

/** The latest event's hash: publish it somewhere the database's owners cannot edit, to anchor the chain. */
export async function chainHead(db: Db): Promise<ChainHead> {
  const [last] = await db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return last ? { seq: last.seq, id: last.id, hash: last.hash, at: last.at.toISOString() } : { seq: 0, id: null, hash: GENESIS_HASH, at: null };
}

export async function verifyAuditLog(actor: Actor): Promise<VerifyResult> {
  const { db } = await database();
  await authorize(db, actor, { action: "view", subjectType: "AuditEvent" });
  return verifyStoredChain(db);
}
