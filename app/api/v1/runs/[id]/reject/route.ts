import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { decideApproval } from "@/lib/services/runs/approvals/decide-approval";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  decideApproval(actor, idParam(params.id, "run"), "rejected", await jsonBody(request, DECISION_BODY_BYTES)),
);
