import { and, eq, inArray, sql } from "drizzle-orm";
import { database } from "../../db";
import { rowsOf } from "../../db/client";
import { runs, viewResults } from "../../db/schema";
import type { ViewStatus } from "../../views/view-result";
import type { Actor } from "../actor";
import { listRunbooks } from "../runbooks/list-runbooks";
import type { RunbookSummary } from "../runbooks/runbook-dto";

/** Results a panel's history strip shows. */
export const HISTORY_LENGTH = 24;
/** Runbooks listed beside a panel as acting on the same thing. */
const RELATED_LIMIT = 5;

export interface PanelResult {
  run: number;
  at: string;
  status: ViewStatus;
  headline: string | null;
  value: number | null;
  unit: string | null;
  table: { columns: string[]; rows: Array<Array<string | number | boolean | null>> } | null;
  /** Why the run's output was not a result; the output's last lines are in `raw`. */
  parseError: string | null;
  raw: string | null;
}

export interface Panel {
  runbook: Pick<RunbookSummary, "slug" | "title" | "description" | "owner" | "tags" | "canRun">;
  latest: PanelResult | null;
  /** Oldest first, the latest last: status over time, and the values for a sparkline. */
  history: Array<Pick<PanelResult, "run" | "at" | "status" | "value">>;
  /** A run of it queued or running now. */
  refreshing: boolean;
  /** Runbooks that act on what it shows (same tag or owner) and that the viewer may run. */
  related: Array<Pick<RunbookSummary, "slug" | "title" | "risk">>;
}

/** Whether a runbook acts on what a view shows: they share a tag, or, without tags, an owner. */
export function actsOnSameThing(view: Pick<RunbookSummary, "tags" | "owner">, other: Pick<RunbookSummary, "tags" | "owner">): boolean {
  if (view.tags.length > 0 && other.tags.length > 0) return view.tags.some((tag) => other.tags.includes(tag));
  return view.owner === other.owner;
}

interface ResultRecord {
  id: number | string;
  runbook_slug: string;
  run_id: number | string;
  status: ViewStatus;
  headline: string | null;
  value: number | null;
  unit: string | null;
  table: PanelResult["table"];
  parse_error: string | null;
  raw_tail: string | null;
  created_at: string | Date;
}

const toResult = (row: ResultRecord): PanelResult => ({
  run: Number(row.run_id),
  at: new Date(row.created_at).toISOString(),
  status: row.status,
  headline: row.headline,
  value: row.value === null ? null : Number(row.value),
  unit: row.unit,
  table: row.table,
  parseError: row.parse_error,
  raw: row.raw_tail,
});

/**
 * The latest HISTORY_LENGTH results of each of these views, newest first: one query, each view's
 * rows read backwards from its newest by the (runbook, id) index, however long its history.
 */
async function recentResults(slugs: readonly string[]): Promise<Map<string, PanelResult[]>> {
  const byRunbook = new Map<string, PanelResult[]>(slugs.map((slug) => [slug, []]));
  if (slugs.length === 0) return byRunbook;
  const { db } = await database();
  const rows = rowsOf<ResultRecord>(
    await db.execute(sql`
      select recent.* from unnest(array[${sql.join(
        slugs.map((slug) => sql`${slug}`),
        sql`, `,
      )}]::text[]) as wanted(slug)
      cross join lateral (
        select * from ${viewResults} where runbook_slug = wanted.slug order by id desc limit ${HISTORY_LENGTH}
      ) as recent`),
  );
  rows.sort((a, b) => Number(b.id) - Number(a.id));
  for (const row of rows) byRunbook.get(row.runbook_slug)?.push(toResult(row));
  return byRunbook;
}

/** Which of these views have a run queued or running. */
async function refreshingViews(slugs: readonly string[]): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const { db } = await database();
  const rows = await db
    .selectDistinct({ slug: runs.runbookSlug })
    .from(runs)
    .where(and(eq(runs.view, true), inArray(runs.runbookSlug, [...slugs]), inArray(runs.status, ["queued", "running"])));
  return new Set(rows.map((row) => row.slug));
}

/**
 * The panels the actor may see: every view runbook they may view (or those about what `relatedTo`
 * acts on), with its latest result, its history and the runbooks beside it that act on the same
 * thing. Hidden views are never listed.
 */
export async function listPanels(actor: Actor, options: { relatedTo?: Pick<RunbookSummary, "slug" | "tags" | "owner"> } = {}): Promise<Panel[]> {
  const runbooks = await listRunbooks(actor);
  const { relatedTo } = options;
  const views = runbooks.filter((runbook) => runbook.view && (!relatedTo || (runbook.slug !== relatedTo.slug && actsOnSameThing(runbook, relatedTo))));
  const slugs = views.map((view) => view.slug);
  const [results, refreshing] = await Promise.all([recentResults(slugs), refreshingViews(slugs)]);
  return views.map((view) => {
    const recent = results.get(view.slug) ?? [];
    const [latest] = recent;
    return {
      runbook: { slug: view.slug, title: view.title, description: view.description, owner: view.owner, tags: view.tags, canRun: view.canRun },
      latest: latest ?? null,
      history: recent
        .slice()
        .reverse()
        .map(({ run, at, status, value }) => ({ run, at, status, value })),
      refreshing: refreshing.has(view.slug),
      related: runbooks
        .filter((other) => !other.view && other.canRun && actsOnSameThing(view, other))
        .slice(0, RELATED_LIMIT)
        .map((other) => ({ slug: other.slug, title: other.title, risk: other.risk })),
    };
  });
}
