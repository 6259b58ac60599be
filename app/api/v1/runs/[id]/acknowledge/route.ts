import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { reviewBreakGlass } from "@/lib/services/runs/approvals/review-break-glass";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  reviewBreakGlass(actor, idParam(params.id, "run"), await jsonBody(request, DECISION_BODY_BYTES)),
);
