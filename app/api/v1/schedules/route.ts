import { z } from "zod";
import { apiRoute, jsonBody } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { createSchedule } from "@/lib/services/schedules/create-schedule";
import { listSchedules } from "@/lib/services/schedules/read-schedules";
import type { CreateScheduleInput } from "@/lib/services/schedules/schedule-fields";

export const dynamic = "force-dynamic";

const listQuery = z.object({ runbook: z.string().max(100).optional() });

/** The schedules of every runbook the caller may view (`?runbook=slug` for one), each with its next five fire times and last fire. */
export const GET = apiRoute(async ({ actor, request }) => ({ schedules: await listSchedules(actor, listQuery.parse(queryObject(request.url))) }));

/** Creates a schedule owned by the caller, who must be allowed to run the runbook with its parameters. */
export const POST = apiRoute(async ({ actor, request }) => createSchedule(actor, (await jsonBody(request)) as CreateScheduleInput), { status: 201 });
