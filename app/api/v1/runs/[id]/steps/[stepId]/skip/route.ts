import { apiRoute, idParam, jsonBody, stepIdParam } from "@/lib/api/route";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";
import { skipStep } from "@/lib/services/runs/steps/act-on-step";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string; stepId: string }>(async ({ actor, request, params }) =>
  skipStep(actor, idParam(params.id, "run"), stepIdParam(params.stepId), await jsonBody(request, DECISION_BODY_BYTES)),
);
