import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { assertMove, startsFrom } from "./moves";

/** The `continue` move: what the run waited on is done, so it goes back to the queue for its next step. */
export async function continueRun(tx: Db, runId: number): Promise<void> {
  assertMove("continue", "queued");
  await tx.execute(sql`update runs set status = 'queued' where id = ${runId} and ${startsFrom("continue")}`);
}
