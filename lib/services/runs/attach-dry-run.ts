import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runs } from "../../db/schema";
import { invalidInput } from "../../errors";
import { finishedRunStatuses } from "../../run-statuses";
import type { RunbookDefinition } from "../../runbooks/definition";
import type { ParamValues } from "../../runbooks/params";
import type { Actor } from "../actor";

function canonical(values: Record<string, unknown>, ignore: string | undefined): string {
  return JSON.stringify(
    Object.keys(values)
      .filter((name) => name !== ignore)
      .sort()
      .map((name) => [name, values[name]]),
  );
}

/**
 * The dry run whose output the approvers see: the one named, or else the requester's latest
 * finished dry run of the same version with the same parameters. One that ran anything else
 * proves nothing about this request, so it is refused.
 */
export async function attachableDryRun(
  db: Db,
  request: { actor: Actor; slug: string; versionHash: string; definition: RunbookDefinition; masked: ParamValues; dryRunId?: number },
): Promise<number | null> {
  const ignore = request.definition.dryRun?.parameter;
  const wanted = canonical(request.masked, ignore);
  const columns = { id: runs.id, slug: runs.runbookSlug, versionHash: runs.versionHash, params: runs.params, dryRun: runs.dryRun, status: runs.status, requestedBy: runs.requestedBy };
  if (request.dryRunId !== undefined) {
    const [named] = await db.select(columns).from(runs).where(eq(runs.id, request.dryRunId));
    const problem = !named
      ? `no run ${request.dryRunId}`
      : !named.dryRun || named.slug !== request.slug
        ? `run ${named.id} is not a dry run of "${request.slug}"`
        : named.requestedBy !== request.actor.user.id
          ? `run ${named.id} is someone else's dry run; attach your own`
          : named.versionHash !== request.versionHash
            ? `run ${named.id} ran an older version of the runbook; dry-run the current one`
            : !finishedRunStatuses.includes(named.status)
              ? `run ${named.id} has not finished yet (${named.status})`
              : canonical(named.params, ignore) !== wanted
                ? `run ${named.id} used different parameters`
                : null;
    if (problem) throw invalidInput("dryRunId", problem);
    return named?.id ?? null;
  }
  const candidates = await db
    .select(columns)
    .from(runs)
    .where(
      and(
        eq(runs.runbookSlug, request.slug),
        eq(runs.versionHash, request.versionHash),
        eq(runs.dryRun, true),
        eq(runs.requestedBy, request.actor.user.id),
        inArray(runs.status, [...finishedRunStatuses]),
      ),
    )
    .orderBy(desc(runs.id))
    .limit(20);
  return candidates.find((candidate) => canonical(candidate.params, ignore) === wanted)?.id ?? null;
}
