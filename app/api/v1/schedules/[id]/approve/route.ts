import { apiRoute, jsonBody } from "@/lib/api/route";
import { approveSchedule } from "@/lib/services/schedules/approve-schedule";

export const dynamic = "force-dynamic";

/** Approves a schedule of a runbook whose runs need approval (`{"comment": "…"}` optional): never its owner or whoever last changed it. */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => approveSchedule(actor, params.id, await jsonBody(request)));
