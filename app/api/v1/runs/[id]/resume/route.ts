import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";
import { resumeRun } from "@/lib/services/runs/steps/resume-run";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => resumeRun(actor, idParam(params.id, "run"), await jsonBody(request, DECISION_BODY_BYTES)), {
  status: 201,
});
