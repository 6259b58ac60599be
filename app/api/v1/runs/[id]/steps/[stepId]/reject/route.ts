import { apiRoute, idParam, jsonBody, stepIdParam } from "@/lib/api/route";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";
import { decideStepApproval } from "@/lib/services/runs/steps/decide-step-approval";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string; stepId: string }>(async ({ actor, request, params }) =>
  decideStepApproval(actor, idParam(params.id, "run"), stepIdParam(params.stepId), "rejected", await jsonBody(request, DECISION_BODY_BYTES)),
);
