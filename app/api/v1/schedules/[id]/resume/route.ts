import { apiRoute } from "@/lib/api/route";
import { resumeSchedule } from "@/lib/services/schedules/change-schedule";

export const dynamic = "force-dynamic";

/** Resumes a paused schedule from its next fire time (its owner or an admin). */
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => resumeSchedule(actor, params.id));
