import { sql } from "drizzle-orm";
import { config } from "../../config/env";
import { database } from "../../db";
import { runs, runSecrets } from "../../db/schema";
import { appendAudit, lockAuditChain, readAuditHeadAnd } from "../../audit/record";
import { publishNotices, runChanged, runQueued } from "../../runs/notices";
import { lockClaims, runStartedEvent, startedColumns, startsAsCreated } from "../../runs/claim-rules";
import { reserveLocalSlot } from "../../runs/local-worker";
import { sealSecrets } from "../../runs/run-secrets";
import { carryStepStates, insertRunSteps, linkChildRun } from "../../runs/run-steps";
import { notifyRunEvent } from "../../notifications/notify-run-event";
import type { Actor } from "../actor";
import { prepareRun, requestedAuditEvents, runRowValues, type RunRequest, type RunRequestOptions } from "./prepare-run";
import { queuePosition } from "./queue-position";
import { toRunDto, type RunDto, type RunRow } from "./run-dto";

export type { ChildOf, RunRequest, RunRequestOptions } from "./prepare-run";

/**
 * Authorise, validate, then create the run and its audit event in one transaction: `queued`, or
 * `pending_approval` with its parameters frozen when someone else must approve it first.
 */
export async function requestRun(actor: Actor, request: RunRequest, options: Omit<RunRequestOptions, "schedule"> = {}): Promise<RunDto> {
  return (await requestRunAndRow(actor, request, options)).run;
}

/** `requestRun`, with the run's row as committed, for a caller that goes on to read it (following its output). */
export async function requestRunAndRow(actor: Actor, request: RunRequest, options: Omit<RunRequestOptions, "schedule"> = {}): Promise<{ run: RunDto; row: RunRow }> {
  const handle = await database();
  const { db } = handle;
  const prepared = await prepareRun(db, actor, request, options);
  const { ability, runbook, definition, versionHash, values, pending, secrets, resume, child } = prepared;
  const key = config().authSecret;
  const { publicUrl } = config();
  // A worker in this process with a free slot starts the run as it commits, if it is next in line.
  const slot = pending ? undefined : reserveLocalSlot();
  const transaction = db.transaction(async (tx) => {
    // Statements sent without waiting for each other's answers run in the order sent: each round
    // trip here carries all that can go together. First the locks (claims before the audit chain,
    // the order every transaction takes them in) and, under them, the chain's head with whether the
    // run may start at once; then the run, `running` if it may; then its audit events and webhooks.
    const row = runRowValues(prepared);
    const startCheck = slot ? startsAsCreated({ runbookSlug: row.runbookSlug, concurrencyLimit: row.concurrencyLimit ?? null, lockKey: row.lockKey ?? null }) : sql`false`;
    const [, , { head, holds: startsNow }] = await Promise.all([slot ? lockClaims(tx) : undefined, lockAuditChain(tx), readAuditHeadAnd(tx, startCheck)]);
    await options.admit?.(tx);
    const startedBy = startsNow ? slot?.workerId : undefined;
    const [created] = await tx
      .insert(runs)
      .values({ ...row, ...(startedBy ? startedColumns(startedBy) : {}) })
      .returning();
    if (!created) throw new Error("run insert returned nothing");
    if (definition.steps) await insertRunSteps(tx, created.id, definition.steps, prepared.pinnedChildren);
    if (child) await linkChildRun(tx, child, created.id);
    if (resume) await carryStepStates(tx, created.id, resume.carried);
    // A run started here gets its secrets from memory; a queued one from the sealed copy.
    if (!startedBy && Object.keys(secrets).length > 0 && key) {
      await tx.insert(runSecrets).values({ runId: created.id, ciphertext: sealSecrets(secrets, key) });
    }
    const startedEvents = startedBy ? [runStartedEvent({ id: created.id, versionHash, runbookSlug: runbook.slug }, startedBy)] : [];
    // Independent statements of one transaction, sent without waiting for each other's answers.
    await Promise.all([appendAudit(tx, head, ...requestedAuditEvents(prepared, created.id), ...startedEvents), notifyRunEvent(tx, "run.requested", created.id, publicUrl)]);
    if (pending) await notifyRunEvent(tx, "run.approval_needed", created.id, publicUrl);
    if (prepared.breakGlass) await notifyRunEvent(tx, "run.break_glass", created.id, publicUrl);
    // Answered from what this transaction knows: once the worker is woken, every query here would
    // compete with its claim (on the embedded database, one thread) and delay the first line.
    const requested: RunRow = {
      run: created,
      requester: { id: actor.user.id, email: actor.user.email, name: actor.user.name },
      runbookTitle: runbook.title,
      risk: runbook.risk,
      owner: runbook.owner,
      tags: runbook.tags,
      environment: runbook.environment,
    };
    return { row: requested, queue: pending || startedBy ? undefined : await queuePosition(tx, created), startedBy };
  });
  const { row, queue, startedBy } = await transaction.catch((error: unknown) => {
    slot?.release();
    throw error;
  });
  if (startedBy && slot) {
    slot.start({ id: row.run.id, definition, versionHash, params: values, timeoutMs: row.run.timeoutMs, dryRun: prepared.dryRun });
    // Lists and pages learn of the start; the caller need not wait for that.
    publishNotices(handle, [runChanged(row.run.id)]).catch((error: unknown) => console.warn(`run ${row.run.id}: could not announce its start: ${(error as Error).message}`));
  } else {
    slot?.release();
    if (!pending) await publishNotices(handle, [runQueued(row.run.id)]);
  }
  return { run: toRunDto(row, ability, queue), row };
}
