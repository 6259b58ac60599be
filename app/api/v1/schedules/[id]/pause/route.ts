import { apiRoute, jsonBody } from "@/lib/api/route";
import { pauseSchedule } from "@/lib/services/schedules/change-schedule";

export const dynamic = "force-dynamic";

/** Pauses a schedule (`{"reason": "…"}` optional): anyone who may run its runbook may. */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => pauseSchedule(actor, params.id, await jsonBody(request)));
