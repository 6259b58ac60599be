import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { database } from "../../db";
import { runs, users, type RunStatus } from "../../db/schema";
import type { Actor } from "../actor";
import { visibleRuns } from "../access/visible";
import { authorize } from "../authorize";
import { runQuery, toRunDto, type RunDto } from "./run-dto";

export interface RunFilters {
  runbook?: string | undefined;
  status?: RunStatus | undefined;
  /** The requester's email. */
  user?: string | undefined;
  limit?: number | undefined;
  /** Keyset pagination: runs with an id below this one. */
  before?: number | undefined;
  /** Runs of view runbooks: left out unless `include`d (or asked for by runbook), or `only` they. */
  views?: "include" | "only" | undefined;
}

export interface RunPage {
  runs: RunDto[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export async function listRuns(actor: Actor, filters: RunFilters): Promise<RunPage> {
  const { db } = await database();
  const ability = await authorize(db, actor, { action: "view", subjectType: "Run" });
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
  const conditions: SQL[] = [visibleRuns(ability)];
  if (filters.runbook) conditions.push(eq(runs.runbookSlug, filters.runbook));
  if (filters.status) conditions.push(eq(runs.status, filters.status));
  if (filters.user) conditions.push(eq(users.email, filters.user.toLowerCase()));
  if (filters.before) conditions.push(lt(runs.id, filters.before));
  if (filters.views === "only") conditions.push(eq(runs.view, true));
  else if (filters.views !== "include" && !filters.runbook) conditions.push(eq(runs.view, false));
  const rows = await runQuery(db)
    .where(and(...conditions))
    .orderBy(desc(runs.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    runs: page.map((row) => toRunDto(row, ability)),
    nextBefore: rows.length > limit ? (page.at(-1)?.run.id ?? null) : null,
  };
}
