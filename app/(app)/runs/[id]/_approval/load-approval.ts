import { AppError } from "@/lib/errors";
import { isActiveStatus } from "@/lib/run-statuses";
import { asRunbook, policyRequiresApproval } from "@/lib/policy/ability";
import { runPossibility } from "@/lib/policy/explain";
import { approvalsRequiredBy, type RunbookDefinition } from "@/lib/runbooks/definition";
import { abilityFor, type Actor } from "@/lib/services/actor";
import { getRunbookVersion } from "@/lib/services/runbooks/get-runbook-version";
import { getRun } from "@/lib/services/runs/get-run";
import { readOutputRange } from "@/lib/services/runs/read-output-range";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { realRunHref } from "../../../runbooks/[slug]/prefill";
import type { AttachedDryRun } from "./dry-run-excerpt";
import { frozenInvocation } from "./frozen-invocation";

const EXCERPT_LINES = 40;

export interface ApprovalContext {
  invocation: ReturnType<typeof frozenInvocation> | null;
  attached: AttachedDryRun | null;
  /** For a dry run of a runbook whose real run needs approval: the run form, prefilled. */
  realRunHref: string | null;
  /** For a finished run the actor may run again: the run form with the same parameters (never secrets). */
  runAgainHref: string | null;
}

/** A refusal or a missing thing leaves that part out, rather than failing (or 404ing) the whole run page. */
async function orNull<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/** The last lines of a dry run the actor may read; null when they may not (or it is gone). */
async function attachedDryRun(actor: Actor, id: number): Promise<AttachedDryRun | null> {
  return orNull(
    (async () => {
      const run = await getRun(actor, id);
      const { lastSeq } = await readOutputRange(actor, id, { from: 1, limit: 1 });
      const { lines } = await readOutputRange(actor, id, { from: Math.max(1, lastSeq - EXCERPT_LINES + 1), limit: EXCERPT_LINES });
      return { run, lines };
    })(),
  );
}

async function realRunLink(actor: Actor, run: RunDto, definition: RunbookDefinition): Promise<string | null> {
  const ability = await abilityFor(actor);
  const subject = { slug: run.runbook.slug, risk: definition.risk, owner: definition.owner, tags: definition.tags, environment: definition.environment ?? null };
  if (!runPossibility(ability, asRunbook(subject)).possible) return null;
  const needsApproval = approvalsRequiredBy(definition) > 0 || policyRequiresApproval(ability, asRunbook(subject, run.params));
  return needsApproval ? realRunHref(run.runbook.slug, definition.parameters, definition.dryRun?.parameter, run) : null;
}

async function runAgainLink(actor: Actor, run: RunDto, definition: RunbookDefinition): Promise<string | null> {
  const ability = await abilityFor(actor);
  const subject = { slug: run.runbook.slug, risk: definition.risk, owner: definition.owner, tags: definition.tags, environment: definition.environment ?? null };
  if (!runPossibility(ability, asRunbook(subject)).possible) return null;
  return realRunHref(run.runbook.slug, definition.parameters, definition.dryRun?.parameter, run);
}

/** What the run page shows beyond the run itself: the frozen invocation and dry run for approvers, the way on from a dry run, "Run again". */
export async function loadApprovalContext(actor: Actor, run: RunDto): Promise<ApprovalContext> {
  const pending = run.status === "pending_approval";
  const finished = !isActiveStatus(run.status);
  if (!pending && !run.dryRun && !finished) return { invocation: null, attached: null, realRunHref: null, runAgainHref: null };
  const definition = (await orNull(getRunbookVersion(actor, run.runbook.slug, run.runbook.version)))?.definition ?? null;
  return {
    invocation: pending && definition ? frozenInvocation(definition, run) : null,
    attached: pending && run.attachedDryRunId ? await attachedDryRun(actor, run.attachedDryRunId) : null,
    realRunHref: run.dryRun && definition ? await realRunLink(actor, run, definition) : null,
    runAgainHref: finished && !run.dryRun && definition ? await runAgainLink(actor, run, definition) : null,
  };
}
