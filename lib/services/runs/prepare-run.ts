import type { Db } from "../../db/client";
import type { runs } from "../../db/schema";
import { recordAudit, type AuditEventInput } from "../../audit/record";
import { AppError, invalidInput } from "../../errors";
import { assertMove } from "../../runs/moves";
import type { ResumePlan } from "../../runs/run-steps";
import { pinChildRunbooks, withChildRisks, type PinnedChild } from "./steps/child-runbooks";
import type { ScheduledFire } from "../../schedules/fire-records";
import { asRunbook, policyRequiresApproval, type AppAbility } from "../../policy/ability";
import { runPossibility } from "../../policy/explain";
import { describeInvocation } from "../../runbooks/invocation";
import { namedApprovers } from "../../runbooks/schema-parts";
import { parseDuration } from "../../config/duration";
import { config } from "../../config/env";
import { maxRisk, referencedSecrets, renderLockKey, timeoutMs, type RunbookDefinition } from "../../runbooks/definition";
import { checkSafetyFields, safetyRequirements, scheduleApprovalsFor, type SafetyRequirements } from "../../runbooks/safety";
import { missingSecrets } from "../../secrets/store";
import { maskSecrets, SECRET_MASK, secretValues, validateParams, type ParamValues } from "../../runbooks/params";
import { abilityFor, auditActorOf, type Actor } from "../actor";
import { parseInput } from "../fields";
import { authorize, authorizeVisible } from "../authorize";
import { loadRunbook } from "../runbooks/get-runbook";
import { attachableDryRun } from "./attach-dry-run";
import { runRequestBody } from "./run-fields";

type LoadedRunbook = Awaited<ReturnType<typeof loadRunbook>>["runbook"];
/** A schedule's fire, as a run request carries it. */
export type ScheduledRunOf = ScheduledFire & { lockKey?: string };

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
  schedule?: ScheduledRunOf;
  /** The runbook as the caller read it just now (a scheduler firing many runs of it). */
  loaded?: ReturnType<typeof loadRunbook>;
  /**
   * Checked in the request's transaction under its locks, before the run is created: what it reads
   * of earlier runs cannot change until this run is committed. Throws to refuse (nothing is written).
   */
  admit?: (tx: Db) => Promise<void>;
}

/** A run request authorised and checked, with everything its transaction writes worked out. */
export interface PreparedRun {
  actor: Actor;
  ability: AppAbility;
  runbook: LoadedRunbook;
  definition: RunbookDefinition;
  versionHash: string;
  values: ParamValues;
  masked: ParamValues;
  maskedArgv: string[];
  requirements: SafetyRequirements;
  /** The approvals a break-glass request skipped. */
  skippedApprovals: number;
  /** For a schedule's fire: the approvals the schedule must have been given to stand in for the run's. */
  scheduleApprovalsNeeded: number;
  pending: boolean;
  attachedDryRun: number | null;
  secrets: ParamValues;
  dryRun: boolean;
  breakGlass: { justification: string; incident: string } | null;
  reason: string | null;
  ticket: string | null;
  approvalExpiresAt: Date | null;
  approvers: ReturnType<typeof namedApprovers> | null;
  lockKey: string | null;
  concurrencyLimit: number | null;
  pinnedChildren: PinnedChild[];
  resume?: ResumePlan;
  child?: ChildOf;
  schedule?: ScheduledRunOf;
}

/**
 * Everything a run request does before its transaction: the caller must see the runbook and may
 * run it with these values (refusals audited), the values and safety fields are checked, and the
 * run's row is worked out. Throws the error the caller answers with.
 */
export async function prepareRun(db: Db, actor: Actor, request: RunRequest, options: RunRequestOptions = {}): Promise<PreparedRun> {
  const { resume, child, schedule } = options;
  const { slug, ...sent } = request;
  // The caller's ability is built while the runbook is read: the checks below then find it ready.
  const [{ runbook, definition: currentDefinition }] = await Promise.all([options.loaded ?? loadRunbook(db, slug), abilityFor(actor)]);
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
  // A step's request was confirmed with the run that makes it (which asked for the highest risk of
  // its steps); a schedule's fire, by the schedule's approval, which the scheduler checks covers it.
  const requirements = child ? { ...procedure, confirmation: null } : schedule ? { ...procedure, approvalsRequired: 0, confirmation: null } : procedure;
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

  const lockKey = definition.lock === undefined ? (schedule?.lockKey ?? null) : renderLockKey(definition.lock, values);
  const concurrencyLimit = definition.concurrency ?? null;
  return {
    actor, ability, runbook, definition, versionHash, values, masked, maskedArgv, requirements, skippedApprovals: normally.approvalsRequired, scheduleApprovalsNeeded: scheduleApprovalsFor(procedure),
    pending, attachedDryRun, secrets, dryRun: safety.dryRun, breakGlass, reason, ticket, approvalExpiresAt, approvers, lockKey, concurrencyLimit,
    pinnedChildren, ...(resume ? { resume } : {}), ...(child ? { child } : {}), ...(schedule ? { schedule } : {}),
  };
}

/** The `request` move: a new run waits for approval, or is queued (and may then start at once, taken by a worker in the requesting process). */
function requestedStatus(pending: boolean): "pending_approval" | "queued" {
  const status = pending ? "pending_approval" : "queued";
  assertMove("request", status);
  return status;
}

/** The run's row as a request inserts it: `queued`, or `pending_approval` when others must approve it first. */
export function runRowValues(prepared: PreparedRun): typeof runs.$inferInsert {
  const { actor, runbook, requirements, breakGlass, resume, child, schedule } = prepared;
  return {
    runbookSlug: runbook.slug,
    versionHash: prepared.versionHash,
    status: requestedStatus(prepared.pending),
    params: prepared.masked,
    argv: prepared.maskedArgv,
    requestedBy: actor.user.id,
    requestedVia: actor.via,
    tokenId: actor.tokenId ?? null,
    timeoutMs: timeoutMs(prepared.definition),
    concurrencyLimit: prepared.concurrencyLimit,
    lockKey: prepared.lockKey,
    risk: requirements.risk,
    reason: prepared.reason,
    ticket: prepared.ticket,
    dryRun: prepared.dryRun,
    view: prepared.definition.view ?? false,
    attachedDryRunId: prepared.attachedDryRun,
    approvalsRequired: requirements.approvalsRequired,
    approvers: prepared.approvers,
    approvalExpiresAt: prepared.approvalExpiresAt,
    breakGlassJustification: breakGlass?.justification ?? null,
    breakGlassIncident: breakGlass?.incident ?? null,
    resumedFrom: resume?.fromRunId ?? null,
    parentRunId: child?.parentRunId ?? null,
    parentStepPosition: child?.position ?? null,
    scheduleId: schedule?.scheduleId ?? null,
    scheduledFor: schedule?.fireAt ?? null,
  };
}

/** The audit events a request writes with its run: `run.requested`, then `run.resumed` or `run.break_glass` where they apply. */
export function requestedAuditEvents(prepared: PreparedRun, runId: number): [AuditEventInput, ...AuditEventInput[]] {
  const { actor, runbook, versionHash, masked, maskedArgv, requirements, reason, ticket, pending, approvers, breakGlass, resume, child, schedule } = prepared;
  const actorOf = auditActorOf(actor);
  const subject = { subjectType: "run", subjectId: String(runId), versionHash };
  const requested: AuditEventInput = {
    actor: actorOf,
    action: "run.requested",
    outcome: "success",
    ...subject,
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
      ...(prepared.dryRun ? { dryRun: true } : {}),
      ...(pending ? { approvalsRequired: requirements.approvalsRequired, approvalExpiresAt: prepared.approvalExpiresAt?.toISOString(), approvers } : {}),
      ...(prepared.attachedDryRun ? { attachedDryRun: prepared.attachedDryRun } : {}),
      ...(resume ? { resumedFrom: resume.fromRunId } : {}),
      ...(child ? { parentRun: child.parentRunId, parentStep: child.stepId } : {}),
      ...(schedule ? { schedule: schedule.scheduleId, scheduledFor: schedule.fireAt.toISOString(), ...(prepared.scheduleApprovalsNeeded > 0 ? { approvedWithSchedule: true } : {}) } : {}),
      ...(breakGlass ? { breakGlass } : {}),
    },
  };
  const resumed: AuditEventInput[] = resume
    ? [{ actor: actorOf, action: "run.resumed", outcome: "success", ...subject, details: { runbook: runbook.slug, from: resume.fromRunId, fromStep: resume.fromStep, via: actor.via } }]
    : [];
  const brokeGlass: AuditEventInput[] = breakGlass
    ? [{ actor: actorOf, action: "run.break_glass", outcome: "success", ...subject, details: { runbook: runbook.slug, justification: breakGlass.justification, incident: breakGlass.incident, skippedApprovals: prepared.skippedApprovals, via: actor.via } }]
    : [];
  return [requested, ...resumed, ...brokeGlass];
}
