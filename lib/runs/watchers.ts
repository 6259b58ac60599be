import { and, asc, eq, gt, sql } from "drizzle-orm";
import { rowsOf, type DatabaseHandle, type Db } from "../db/client";
import { runWatchers, users } from "../db/schema";
import { publishNotices, runChanged } from "./notices";
import { countPageChange } from "./page-changes";

/** How often an open stream says its reader is still there, and how long after that they count as gone. */
export const WATCHING_REFRESH_MS = 20_000;
const WATCHING_EXPIRES_MS = 50_000;

/**
 * Records that a user has the run's output open, and tells the other watchers when they were not
 * listed before (first open, or back after their entry expired).
 */
export async function markWatching(handle: DatabaseHandle, runId: number, userId: string): Promise<void> {
  const [row] = rowsOf<{ arrived: boolean }>(
    await handle.db.execute(sql`
      insert into run_watchers (run_id, user_id, seen_at) values (${runId}, ${userId}, now())
      on conflict (run_id, user_id) do update set seen_at = now()
      returning xmax = 0 as arrived`),
  );
  if (row?.arrived) await announce(handle, runId);
}

/** Their last stream of the run closed: they leave the list at once. */
export async function stopWatching(handle: DatabaseHandle, runId: number, userId: string): Promise<void> {
  const left = await handle.db
    .delete(runWatchers)
    .where(and(eq(runWatchers.runId, runId), eq(runWatchers.userId, userId)))
    .returning({ userId: runWatchers.userId });
  if (left.length > 0) await announce(handle, runId);
}

async function announce(handle: DatabaseHandle, runId: number): Promise<void> {
  await countPageChange(handle.db, runId);
  await publishNotices(handle, [runChanged(runId)]);
}

/** Who is watching the run now: seen within the expiry, by name. */
export async function watchersOf(db: Db, runId: number): Promise<Array<{ id: string; email: string; name: string }>> {
  return db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(runWatchers)
    .innerJoin(users, eq(users.id, runWatchers.userId))
    .where(and(eq(runWatchers.runId, runId), gt(runWatchers.seenAt, sql`now() - make_interval(secs => ${WATCHING_EXPIRES_MS / 1000})`)))
    .orderBy(asc(users.name));
}
