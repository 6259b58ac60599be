import { apiRoute, jsonBody } from "@/lib/api/route";
import { deleteSchedule, updateSchedule } from "@/lib/services/schedules/change-schedule";
import { getSchedule } from "@/lib/services/schedules/read-schedules";
import type { UpdateScheduleInput } from "@/lib/services/schedules/schedule-fields";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => getSchedule(actor, params.id));

/** Changes any of cron/runAt, timeZone, params, reason, ticket, misfire, overlap (its owner or an admin); omitted fields stay. */
export const PATCH = apiRoute<{ id: string }>(async ({ actor, request, params }) => updateSchedule(actor, params.id, (await jsonBody(request)) as UpdateScheduleInput));

export const DELETE = apiRoute<{ id: string }>(async ({ actor, params }) => deleteSchedule(actor, params.id));
