import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runs } from "../db/schema";

/** Tells followers of the run's stream that something its page shows changed (they compare this count). */
export async function countPageChange(db: Db, runId: number): Promise<void> {
  await db.update(runs).set({ pageChanges: sql`${runs.pageChanges} + 1` }).where(eq(runs.id, runId));
}
