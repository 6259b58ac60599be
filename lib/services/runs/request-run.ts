import { config } from "../../config/env";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runs, runSecrets } from "../../db/schema";
import { appendAudit, lockAuditChain, readAuditHead, recordAudit, type AuditEventInput } from "../../audit/record";
import { AppError, invalidInput } from "../../errors";
import { assertMove } from "../../runs/moves";
import { publishNotices, runChanged, runQueued } from "../../runs/notices";
import { lockClaims, runStartedEvent, startJustInserted } from "../../runs/claim-rules";
import { reserveLocalSlot } from "../../runs/local-worker";
import { sealSecrets } from "../../runs/run-secrets";
import { carryStepStates, insertRunSteps, linkChildRun, type ResumePlan } from "../../runs/run-steps";
import { pinChildRunbooks, withChildRisks } from "./steps/child-runbooks";
import { recordFire, type ScheduledFire } from "../../schedules/fire-records";
import { notifyRunEvent } from "../../notifications/notify-run-event";
import { asRunbook, policyRequiresApproval, type AppAbility } from "../../policy/ability";
import { runPossibility } from "../../policy/explain";
import { describeInvocation } from "../../runbooks/invocation";
import { namedApprovers } from "../../runbooks/schema-parts";
import { parseDuration } from "../../config/duration";
import { maxRisk, referencedSecrets, renderLockKey, timeoutMs, type RunbookDefinition } from "../../runbooks/definition";
import { checkSafetyFields, safetyRequirements } from "../../runbooks/safety";
import { missingSecrets } from "../../secrets/store";
import { maskSecrets, SECRET_MASK, secretValues, validateParams, type ParamValues } from "../../runbooks/params";
import { abilityFor, auditActorOf, type Actor } from "../actor";
import { parseInput } from "../fields";
import { authorize, authorizeVisible } from "../authorize";
import { loadRunbook } from "../runbooks/get-runbook";
import { attachableDryRun } from "./attach-dry-run";
import { queuePosition } from "./queue-position";
import { runRequestBody } from "./run-fields";
import { toRunDto, type RunDto, type RunRow } from "./run-dto";

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

function describeValues(values: ParamValues): string {
  const entries = Object.entries(values);
  return entries.length > 0 ? entries.map(([name, value]) => `${name}=${String(value)}`).join(", ") : "no parameters";
}

/**
 * The runbook to run and the request as sent (a REST body, the run form's fields): `params` and the
 * safety fields of `runRequestBody`, checked here once, after the caller is known to see the runbook.
 */
export type RunRequest = { slug: string } & Record<string, unknown>;

function maskedArgvOf(definition: RunbookDefinition, masked: ParamValues, dryRun: boolean): string[] {
  // Each step's argv is its own, shown with the step.
  if (definition.steps) return [];
  return describeInvocation(definition, masked, {
    workerEnv: {},
    secretValue: () => SECRET_MASK,
    runId: "",
    workDir: "",
    scriptPath: definition.script?.path ?? "",
    dryRun,
  }).argv;
}

/** Refuses break-glass unless policy grants it; the refusal is audited like any other. */
async function authorizeBreakGlass(db: Db, actor: Actor, ability: AppAbility, runbook: Parameters<typeof asRunbook>[0], versionHash: string) {
  await authorize(db, actor, {
    ability,
    action: "break-glass",
    subjectType: "Runbook",
    subject: asRunbook(runbook),
    subjectId: runbook.slug,
    label: runbook.slug,
    versionHash,
  });
}

/** The `request` move: a new run waits for approval, or is queued (and may then start at once, taken by this process's worker). */
function requestedStatus(pending: boolean): "pending_approval" | "queued" {
  const status = pending ? "pending_approval" : "queued";
  assertMove("request", status);
  return status;
}

/**
 * Authorise, validate, then create the run and its audit event in one transaction: `queued`, or
 * `pending_approval` with its parameters frozen when someone else must approve it first.
 */
export async function requestRun(actor: Actor, request: RunRequest): Promise<RunDto> {
  return (await requestRunAndRow(actor, request)).run;
}

/** `requestRun`, with the run's row as committed, for a caller that goes on to read it (following its output). */
/** A run requested by a `runbook:` step of another run, when the worker reaches that step. */
export interface ChildOf {
  parentRunId: number;
  position: number;
  stepId: string;
  /** The version the parent pinned when it was requested. */
  versionHash: string;
  definition: RunbookDefinition;
}

export interface RunRequestOptions {
  resume?: ResumePlan;
  child?: ChildOf;
  /**
   * A schedule's fire: recorded with the run, at most once (see lib/schedules/fire-records.ts).
   * `approved`: the schedule itself was approved by others for this runbook version, which stands in
   * for the approval and confirmation nobody gives at a fire.
   */
  schedule?: ScheduledFire & { lockKey?: string; approved?: boolean };
}

export async function requestRunAndRow(actor: Actor, request: RunRequest, options: RunRequestOptions = {}): Promise<{ run: RunDto; row: RunRow }> {
  const { resume, child, schedule } = options;
  const { slug, ...sent } = request;
  const handle = await database();
  const { db } = handle;
  // The caller's ability is built while the runbook is read: the checks below then find it ready.
  const [{ runbook, definition: currentDefinition }] = await Promise.all([loadRunbook(db, slug), abilityFor(actor)]);
  // A resumed run runs the version the first attempt pinned, at the higher of its risk and the runbook's now.
  const definition = resume?.definition ?? child?.definition ?? currentDefinition;
  const versionHash = resume?.versionHash ?? child?.versionHash ?? runbook.currentVersionHash;
  const check = { subjectType: "Runbook" as const, subjectId: runbook.slug, label: runbook.slug, versionHash };
  const ability = await authorizeVisible(db, actor, { ...check, action: "view", subject: asRunbook(runbook), notFoundMessage: `no runbook "${runbook.slug}"` });
  const sentParams = isPlainObject(sent.params) ? (sent.params as ParamValues) : {};
  const submittedMasked = maskSecrets(definition.parameters, sentParams);
  const possibility = runPossibility(ability, asRunbook(runbook));
  // Refuse early when no parameter values at all could be allowed, before judging the values.
  if (!possibility.possible) {
    await authorize(db, actor, { ...check, ability, action: "run", subject: asRunbook(runbook), details: { params: submittedMasked } });
  }

  const { params, ...safety } = parseInput(runRequestBody, sent);
  const validation = validateParams(definition.parameters, params);
  if (!validation.ok) {
    const [first] = validation.errors;
    const field = first?.field ?? "params";
    const message = validation.errors.map((error) => error.message).join("; ");
    // Someone tried these values: the refusal is part of the record (the values made storable by recordAudit).
    await recordAudit(db, {
      actor: auditActorOf(actor),
      action: "run.requested",
      outcome: "failure",
      subjectType: "runbook",
      subjectId: runbook.slug,
      versionHash,
      details: { reason: message, field, params: submittedMasked, via: actor.via },
    });
    throw invalidInput(field, message);
  }
  if (safety.dryRun && !definition.dryRun) throw invalidInput("dryRun", `runbook "${runbook.slug}" declares no dry-run mode`);
  if (safety.dryRun && safety.breakGlass) throw invalidInput("breakGlass", "a dry run changes nothing and needs no break-glass");
  const dryRunParameter = safety.dryRun ? definition.dryRun?.parameter : undefined;
  const values: ParamValues = dryRunParameter ? { ...validation.values, [dryRunParameter]: true } : validation.values;
  const masked = maskSecrets(definition.parameters, values);
  const { constraints } = possibility;
  await authorize(db, actor, {
    ...check,
    ability,
    action: "run",
    subject: asRunbook(runbook, values),
    label: constraints.length > 0 ? `${runbook.slug} with ${describeValues(masked)} (allowed: ${constraints.join("; or ")})` : runbook.slug,
    details: { params: masked },
  });
  if (safety.breakGlass) await authorizeBreakGlass(db, actor, ability, runbook, versionHash);
  const pinnedChildren = await pinChildRunbooks(db, actor, ability, definition, values);
  if (safety.dryRun && pinnedChildren.length > 0) {
    throw invalidInput("dryRun", `a dry run cannot request other runbooks (step ${pinnedChildren.map((pinned) => pinned.stepId).join(", ")})`);
  }

  const normally = safetyRequirements({
    definition,
    values,
    requestedRisk: resume ? maxRisk(maxRisk(safety.risk ?? definition.risk, definition.risk), runbook.risk) : safety.risk,
    policyRequiresApproval: policyRequiresApproval(ability, asRunbook(runbook, values)),
    dryRun: safety.dryRun,
  });
  // Break-glass skips the approvals and nothing else: the reason, the ticket and the confirmation stay.
  const procedure = withChildRisks(safety.breakGlass ? { ...normally, approvalsRequired: 0 } : normally, definition, pinnedChildren);
  // A step's request was confirmed with the run that makes it (which asked for the highest risk of its steps).
  const requirements = child ? { ...procedure, confirmation: null } : schedule?.approved ? { ...procedure, approvalsRequired: 0, confirmation: null } : procedure;
  const safetyError = checkSafetyFields(requirements, definition.risk, safety);
  if (safetyError) throw invalidInput(safetyError.field, safetyError.message);
  const pending = requirements.approvalsRequired > 0;
  const attachedDryRun =
    pending && definition.dryRun ? await attachableDryRun(db, { actor, slug: runbook.slug, versionHash, definition, masked, dryRunId: safety.dryRunId }) : null;
  if (safety.dryRunId !== undefined && !attachedDryRun) {
    throw invalidInput("dryRunId", "a dry run is attached only to a request that waits for approval");
  }

  const secrets = secretValues(definition.parameters, values);
  const key = config().authSecret;
  if (Object.keys(secrets).length > 0 && !key) throw new Error("AUTH_SECRET is required to queue runs with secret parameters");
  const unset = await missingSecrets(db, referencedSecrets(definition));
  if (unset.length > 0) {
    throw new AppError("conflict", `runbook "${runbook.slug}" needs secrets that are not set: ${unset.join(", ")} (an admin sets them under Secrets or with \`handrail secrets set\`)`);
  }
  const maskedArgv = maskedArgvOf(definition, masked, safety.dryRun);
  const breakGlass = safety.breakGlass ?? null;
  const reason = safety.reason || breakGlass?.justification || null;
  const ticket = safety.ticket ?? breakGlass?.incident ?? null;
  const expiresAfterMs = (definition.approval?.expiresAfter ? parseDuration(definition.approval.expiresAfter) : undefined) ?? config().approvalExpiresAfterMs;
  const approvalExpiresAt = pending ? new Date(Date.now() + expiresAfterMs) : null;
  const approvers = pending ? namedApprovers(definition.approval) : null;
  const { publicUrl } = config();

  const lockKey = definition.lock === undefined ? (schedule?.lockKey ?? null) : renderLockKey(definition.lock, values);
  const concurrencyLimit = definition.concurrency ?? null;
  // A worker in this process with a free slot starts the run as it commits, if it is next in line.
  const slot = pending ? undefined : reserveLocalSlot();
  const transaction = db.transaction(async (tx) => {
    // Statements sent without waiting for each other's answers run in the order sent: each round
    // trip here carries all that can go together. First the locks (claims before the audit chain,
    // the order every transaction takes them in); then, under them, the chain's head, the run and
    // its start; then its audit events and its webhook events.
    await Promise.all([slot ? lockClaims(tx) : undefined, lockAuditChain(tx)]);
    const chainHead = readAuditHead(tx);
    const inserted = tx
      .insert(runs)
      .values({
        runbookSlug: runbook.slug,
        versionHash,
        status: requestedStatus(pending),
        params: masked,
        argv: maskedArgv,
        requestedBy: actor.user.id,
        requestedVia: actor.via,
        tokenId: actor.tokenId ?? null,
        timeoutMs: timeoutMs(definition),
        concurrencyLimit,
        lockKey,
        risk: requirements.risk,
        reason,
        ticket,
        dryRun: safety.dryRun,
        attachedDryRunId: attachedDryRun,
        approvalsRequired: requirements.approvalsRequired,
        approvers,
        approvalExpiresAt,
        breakGlassJustification: breakGlass?.justification ?? null,
        breakGlassIncident: breakGlass?.incident ?? null,
        resumedFrom: resume?.fromRunId ?? null,
        parentRunId: child?.parentRunId ?? null,
        parentStepPosition: child?.position ?? null,
        scheduleId: schedule?.scheduleId ?? null,
        scheduledFor: schedule?.fireAt ?? null,
      })
      .returning();
    // The insert is sent before the start looks for it (promises take up thenables in the order
    // they are made); were it not, the start would find no run and it would simply stay queued.
    const insertedRows = Promise.resolve(inserted);
    const [head, [insertedRun], started] = await Promise.all([chainHead, insertedRows, slot ? startJustInserted(tx, slot.workerId) : undefined]);
    if (!insertedRun) throw new Error("run insert returned nothing");
    if (definition.steps) await insertRunSteps(tx, insertedRun.id, definition.steps, pinnedChildren);
    if (child) await linkChildRun(tx, child, insertedRun.id);
    if (schedule) await recordFire(tx, schedule, "run", { runId: insertedRun.id });
    if (resume) await carryStepStates(tx, insertedRun.id, resume.carried);
    const created = started ? { ...insertedRun, status: "running" as const, ...started } : insertedRun;
    const startedBy = started?.workerId;
    // A run started here gets its secrets from memory; a queued one from the sealed copy.
    if (!startedBy && Object.keys(secrets).length > 0 && key) {
      await tx.insert(runSecrets).values({ runId: created.id, ciphertext: sealSecrets(secrets, key) });
    }
    const runId = String(created.id);
    const requestedEvent: AuditEventInput = {
      actor: auditActorOf(actor),
      action: "run.requested",
      outcome: "success",
      subjectType: "run",
      subjectId: runId,
      versionHash,
      details: {
        runbook: runbook.slug,
        params: masked,
        argv: maskedArgv,
        via: actor.via,
        risk: requirements.risk,
        ...(requirements.raisedFrom ? { raisedFrom: requirements.raisedFrom } : {}),
        ...(reason ? { reason } : {}),
        ...(ticket ? { ticket } : {}),
        ...(requirements.confirmation ? { confirmed: requirements.confirmation.label } : {}),
        ...(safety.dryRun ? { dryRun: true } : {}),
        ...(pending ? { approvalsRequired: requirements.approvalsRequired, approvalExpiresAt: approvalExpiresAt?.toISOString(), approvers } : {}),
        ...(attachedDryRun ? { attachedDryRun } : {}),
        ...(resume ? { resumedFrom: resume.fromRunId } : {}),
        ...(child ? { parentRun: child.parentRunId, parentStep: child.stepId } : {}),
        ...(schedule ? { schedule: schedule.scheduleId, scheduledFor: schedule.fireAt.toISOString(), ...(schedule.approved ? { approvedWithSchedule: true } : {}) } : {}),
        ...(breakGlass ? { breakGlass } : {}),
      },
    };
    const breakGlassEvents: AuditEventInput[] = breakGlass
      ? [
          {
            actor: auditActorOf(actor),
            action: "run.break_glass",
            outcome: "success",
            subjectType: "run",
            subjectId: runId,
            versionHash,
            details: { runbook: runbook.slug, justification: breakGlass.justification, incident: breakGlass.incident, skippedApprovals: normally.approvalsRequired, via: actor.via },
          },
        ]
      : [];
    const resumedEvents: AuditEventInput[] = resume
      ? [{ actor: auditActorOf(actor), action: "run.resumed", outcome: "success", subjectType: "run", subjectId: runId, versionHash, details: { runbook: runbook.slug, from: resume.fromRunId, fromStep: resume.fromStep, via: actor.via } }]
      : [];
    const startedEvents = startedBy ? [runStartedEvent({ id: created.id, versionHash, runbookSlug: runbook.slug }, startedBy)] : [];
    // Independent statements of one transaction, sent without waiting for each other's answers.
    await Promise.all([appendAudit(tx, head, requestedEvent, ...resumedEvents, ...breakGlassEvents, ...startedEvents), notifyRunEvent(tx, "run.requested", created.id, publicUrl)]);
    if (pending) await notifyRunEvent(tx, "run.approval_needed", created.id, publicUrl);
    if (breakGlass) await notifyRunEvent(tx, "run.break_glass", created.id, publicUrl);
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
    // A schedule's fire has nobody waiting for the answer: its place in the queue (counting the queue, under the chain's lock) is not worked out.
    return { row: requested, queue: pending || startedBy || schedule ? undefined : await queuePosition(tx, created), startedBy };
  });
  const { row, queue, startedBy } = await transaction.catch((error: unknown) => {
    slot?.release();
    throw error;
  });
  if (startedBy && slot) {
    slot.start({ id: row.run.id, definition, versionHash, params: values, timeoutMs: row.run.timeoutMs, dryRun: safety.dryRun });
    // Lists and pages learn of the start; the caller need not wait for that.
    publishNotices(handle, [runChanged(row.run.id)]).catch((error: unknown) => console.warn(`run ${row.run.id}: could not announce its start: ${(error as Error).message}`));
  } else {
    slot?.release();
    if (!pending) await publishNotices(handle, [runQueued(row.run.id)]);
  }
  return { run: toRunDto(row, ability, queue), row };
}
