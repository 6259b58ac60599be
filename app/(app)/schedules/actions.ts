"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { invalidInput } from "@/lib/errors";
import { deleteSchedule, pauseSchedule, resumeSchedule, updateSchedule } from "@/lib/services/schedules/change-schedule";
import { createSchedule } from "@/lib/services/schedules/create-schedule";
import { approveSchedule } from "@/lib/services/schedules/approve-schedule";
import type { ScheduleDto } from "@/lib/services/schedules/schedule-dto";
import type { CreateScheduleInput, UpdateScheduleInput } from "@/lib/services/schedules/schedule-fields";

const PAGE = "/schedules";

/** The form's parameters box: a JSON object, or empty for none. */
function paramsOf(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidInput("params", 'must be a JSON object, such as {"host": "example.com"}');
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw invalidInput("params", 'must be a JSON object, such as {"host": "example.com"}');
  return parsed as Record<string, unknown>;
}

/** The settings both forms carry: when (cron, or an ISO time for once), zone, parameters, reason and policies. */
function scheduleSettingsFromForm(formData: FormData) {
  const when = formText(formData, "when");
  const optional = (name: string) => (formText(formData, name) ? { [name]: formText(formData, name) } : {});
  // A change that keeps the timing leaves it alone (a one-off already past could not be given again).
  const keepsTiming = formData.has("wasWhen") && when === formText(formData, "wasWhen") && formText(formData, "timeZone") === formText(formData, "wasTimeZone");
  return {
    ...(keepsTiming ? {} : /^\d{4}-\d{2}-\d{2}T/.test(when) ? { runAt: when } : { cron: when }),
    ...(keepsTiming ? {} : optional("timeZone")),
    ...optional("reason"),
    ...optional("confirm"),
    ...optional("misfire"),
    ...optional("overlap"),
    params: paramsOf(formText(formData, "params")),
  };
}

const nextFire = (schedule: ScheduleDto) => `${schedule.nextFireAt?.replace("T", " ").slice(0, 16)} UTC`;

export async function createScheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => createSchedule(actor, { runbook: formText(formData, "runbook"), name: formText(formData, "name"), ...scheduleSettingsFromForm(formData) } as CreateScheduleInput),
    (created) => `Schedule "${created.name}" of ${created.runbook} created; it fires next at ${nextFire(created)}.`,
  );
}

export async function updateScheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => updateSchedule(actor, formText(formData, "id"), scheduleSettingsFromForm(formData) as UpdateScheduleInput),
    (updated) =>
      updated.approval && !updated.approval.approvedAt
        ? `Schedule "${updated.name}" changed (revision ${updated.revision}); it waits for someone else's approval before it fires.`
        : `Schedule "${updated.name}" changed (revision ${updated.revision}); it fires next at ${nextFire(updated)}.`,
  );
}

export async function pauseScheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(PAGE, (actor) => pauseSchedule(actor, formText(formData, "id"), { reason: formText(formData, "reason") || undefined }), (paused) => `Paused "${paused.name}".`);
}

export async function resumeScheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(PAGE, (actor) => resumeSchedule(actor, formText(formData, "id")), (resumed) => `Resumed "${resumed.name}"; it fires next at ${nextFire(resumed)}.`);
}

export async function deleteScheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(PAGE, (actor) => deleteSchedule(actor, formText(formData, "id")), () => "Schedule deleted; its runs stay in history.");
}

export async function approveScheduleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => approveSchedule(actor, formText(formData, "id"), { comment: formText(formData, "comment") }),
    (approved) => (approved.approval?.approvedAt ? `Approved "${approved.name}"; it fires from ${nextFire(approved)}.` : `Your approval of "${approved.name}" is recorded; it needs another.`),
  );
}
