import type { ScheduleFireOutcome, ScheduleMisfirePolicy, ScheduleOverlapPolicy, schedules } from "../../db/schema";
import { nextFireTimes, type ScheduleTiming } from "../../schedules/timing";

type ScheduleRow = typeof schedules.$inferSelect;

export interface ScheduleDto {
  id: number;
  runbook: string;
  name: string;
  cron: string | null;
  runAt: string | null;
  timeZone: string;
  params: Record<string, unknown>;
  reason: string | null;
  ticket: string | null;
  owner: { id: string; email: string; name: string };
  misfire: ScheduleMisfirePolicy;
  overlap: ScheduleOverlapPolicy;
  paused: { at: string; reason: string | null } | null;
  nextFireAt: string | null;
  /** The next five fire times (fewer for a one-off), whether or not it is paused. */
  upcoming: string[];
  lastFire: { at: string; outcome: ScheduleFireOutcome; runId: number | null; runStatus: string | null; message: string | null } | null;
  revision: number;
  /** `runbook`: written in the runbook's file and changed only there; `api`: made here. */
  definedIn: "runbook" | "api";
  /** For a runbook whose runs need approval: the approvals this revision needs, and the version and risk it was approved for. Null when none is needed. */
  approval: { required: number; approvedAt: string | null; version: string | null; risk: string | null } | null;
  createdAt: string;
  updatedAt: string;
  /** What the caller may do with it. */
  canManage: boolean;
}

export function timingOf(row: Pick<ScheduleRow, "cron" | "runAt" | "timeZone">): ScheduleTiming {
  return row.cron !== null ? { cron: row.cron, timeZone: row.timeZone } : { runAt: row.runAt ?? new Date(0) };
}

export interface ScheduleView {
  schedule: ScheduleRow;
  owner: { id: string; email: string; name: string };
  lastFire: { fireAt: Date; outcome: ScheduleFireOutcome; runId: number | null; message: string | null; runStatus: string | null } | null;
}

/** What a schedule is set to do: its DTO's settings, and what the audit log keeps of them. */
function settingsOf(row: ScheduleRow) {
  return {
    runbook: row.runbookSlug,
    name: row.name,
    cron: row.cron,
    runAt: row.runAt?.toISOString() ?? null,
    timeZone: row.timeZone,
    params: row.params,
    reason: row.reason,
    ticket: row.ticket,
    misfire: row.misfire,
    overlap: row.overlap,
  };
}

export function toScheduleDto(view: ScheduleView, canManage: boolean, now = new Date()): ScheduleDto {
  const { schedule: row, lastFire } = view;
  return {
    id: row.id,
    ...settingsOf(row),
    owner: view.owner,
    paused: row.pausedAt ? { at: row.pausedAt.toISOString(), reason: row.pausedReason } : null,
    nextFireAt: row.nextFireAt?.toISOString() ?? null,
    upcoming: row.nextFireAt ? [row.nextFireAt, ...nextFireTimes(timingOf(row), row.nextFireAt, 4)].map((date) => date.toISOString()) : nextFireTimes(timingOf(row), now, 5).map((date) => date.toISOString()),
    lastFire: lastFire ? { at: lastFire.fireAt.toISOString(), outcome: lastFire.outcome, runId: lastFire.runId, runStatus: lastFire.runStatus, message: lastFire.message } : null,
    revision: row.revision,
    definedIn: row.definedIn,
    approval:
      row.approvalsRequired > 0 ? { required: row.approvalsRequired, approvedAt: row.approvedAt?.toISOString() ?? null, version: row.approvedVersionHash, risk: row.approvedRisk } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    canManage,
  };
}

/** What the audit log keeps of a schedule's settings, before and after a change. */
export function auditedSchedule(row: ScheduleRow): Record<string, unknown> {
  return { ...settingsOf(row), revision: row.revision };
}
