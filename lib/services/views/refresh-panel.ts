import { and, desc, eq } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runs } from "../../db/schema";
import { AppError, notFound } from "../../errors";
import type { Actor } from "../actor";
import { loadRunbook } from "../runbooks/get-runbook";
import { requestRun } from "../runs/request-run";
import type { RunDto } from "../runs/run-dto";
import { authorize, authorizeVisible } from "../authorize";
import { runPossibility } from "../../policy/explain";
import { asRunbook } from "../../policy/ability";

/** A panel is refreshed at most this often, whoever asks: each refresh is a run on someone's machines. */
export const REFRESH_INTERVAL_MS = 30_000;

/**
 * Refreshes a view's panel: a normal run of the view runbook by the actor, authorised and audited
 * like any other, unless the view was refreshed less than REFRESH_INTERVAL_MS ago or a run of it
 * is still going (429, saying when it may be refreshed). A runbook that is not a view, or that the
 * actor may not see, answers as a missing one.
 */
export async function refreshPanel(actor: Actor, slug: string, now = new Date()): Promise<RunDto> {
  const { db } = await database();
  const loaded = loadRunbook(db, slug);
  const { runbook } = await loaded;
  const check = { subjectType: "Runbook" as const, subject: asRunbook(runbook), subjectId: slug, label: slug };
  const ability = await authorizeVisible(db, actor, { ...check, action: "view", notFoundMessage: `no runbook "${slug}"` });
  if (!runbook.view) throw notFound(`runbook "${slug}" is not a view: it has no panel to refresh`);
  // Whether they may refresh it at all, before anything about its runs is told.
  if (!runPossibility(ability, asRunbook(runbook)).possible) await authorize(db, actor, { ...check, ability, action: "run" });
  return requestRun(actor, { slug, params: {} }, { loaded, admit: (tx) => refreshAllowed(tx, slug, now) });
}

/**
 * Refused while a run of the view is going or its last run is younger than REFRESH_INTERVAL_MS.
 * Read under the run request's locks, so two refreshes sent at once make one run, not two.
 */
async function refreshAllowed(tx: Db, slug: string, now: Date): Promise<void> {
  const [last] = await tx
    .select({ id: runs.id, status: runs.status, createdAt: runs.createdAt })
    .from(runs)
    .where(and(eq(runs.runbookSlug, slug), eq(runs.view, true)))
    .orderBy(desc(runs.id))
    .limit(1);
  if (last && (last.status === "queued" || last.status === "running")) {
    throw new AppError("rate_limited", `view "${slug}" is being refreshed now (run #${last.id} is ${last.status}); its panel shows the result when it finishes`);
  }
  const sinceMs = last ? now.getTime() - last.createdAt.getTime() : Infinity;
  if (sinceMs < REFRESH_INTERVAL_MS) {
    const waitSeconds = Math.ceil((REFRESH_INTERVAL_MS - sinceMs) / 1000);
    throw new AppError("rate_limited", `view "${slug}" was refreshed ${Math.floor(sinceMs / 1000)} s ago (run #${last?.id}); it may be refreshed again in ${waitSeconds} s`);
  }
}
