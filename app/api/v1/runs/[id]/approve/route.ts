import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { approvalDecisionBody } from "@/lib/api/schemas";
import { decideApproval } from "@/lib/services/runs/approvals/decide-approval";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  decideApproval(actor, idParam(params.id, "run"), "approved", approvalDecisionBody.parse(await jsonBody(request))),
);
