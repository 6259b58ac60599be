import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runs } from "../db/schema";

/** Tells followers of the run's stream that its timeline changed (they compare this count). */
export async function countTimelineChange(db: Db, runId: number): Promise<void> {
  await db.update(runs).set({ timelineChanges: sql`${runs.timelineChanges} + 1` }).where(eq(runs.id, runId));
}
