import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client";
import type { runs } from "../../db/schema";

export interface QueuePosition {
  /** Why the run has not started, in words an operator can act on. */
  reason: string;
  /** 1 = next in line for what it waits on. */
  position: number;
}

type QueuedRun = Pick<typeof runs.$inferSelect, "id" | "runbookSlug" | "lockKey" | "concurrencyLimit">;

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(await db.execute(query));
  return Number(row?.n ?? 0);
}

/** What a queued run waits for — its lock, its runbook's concurrency, or a worker slot — and its place in that line. */
export async function queuePosition(db: Db, run: QueuedRun): Promise<QueuePosition> {
  if (run.lockKey !== null) {
    const [holder] = rowsOf<{ id: number | string; status: string }>(
      await db.execute(sql`
        select id, status from runs where lock_key = ${run.lockKey} and id <> ${run.id}
          and (status = 'running' or (status = 'queued' and id < ${run.id}))
        order by (status = 'running') desc, id limit 1`),
    );
    if (holder) {
      const ahead = await count(db, sql`select count(*) as n from runs where status = 'queued' and lock_key = ${run.lockKey} and id < ${run.id}`);
      const by = holder.status === "running" ? `held by run #${holder.id}` : `next for run #${holder.id}`;
      return { reason: `waiting for lock "${run.lockKey}" (${by})`, position: ahead + 1 };
    }
  }
  if (run.concurrencyLimit !== null) {
    const running = await count(db, sql`select count(*) as n from runs where status = 'running' and runbook_slug = ${run.runbookSlug}`);
    if (running >= run.concurrencyLimit) {
      const ahead = await count(db, sql`select count(*) as n from runs where status = 'queued' and runbook_slug = ${run.runbookSlug} and id < ${run.id}`);
      const limit = run.concurrencyLimit === 1 ? "one run at a time" : `${run.concurrencyLimit} runs at a time`;
      return { reason: `runbook "${run.runbookSlug}" allows ${limit} (${running} running)`, position: ahead + 1 };
    }
  }
  const ahead = await count(db, sql`select count(*) as n from runs where status = 'queued' and id < ${run.id}`);
  return { reason: "waiting for a free worker slot", position: ahead + 1 };
}
