import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runs } from "../db/schema";
import { startsFrom } from "./moves";
import { runChanged, runQueued, type RunNotice } from "./notices";

/** The `approve` move, once enough people approved: the run joins the queue. Null when it was no longer waiting. */
export async function queueApprovedRun(tx: Db, runId: number): Promise<RunNotice[] | null> {
  const queued = await tx
    .update(runs)
    .set({ status: "queued" })
    .where(and(eq(runs.id, runId), startsFrom("approve", sql`${runs.status}`)))
    .returning({ id: runs.id });
  return queued.length > 0 ? [runChanged(runId), runQueued(runId)] : null;
}
