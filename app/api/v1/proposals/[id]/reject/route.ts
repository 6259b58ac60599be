import { apiRoute, jsonBody } from "@/lib/api/route";
import { rejectProposalBody } from "@/lib/api/schemas";
import { rejectProposal } from "@/lib/services/runbooks/proposals/review-proposal";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const body = rejectProposalBody.parse(await jsonBody(request, DECISION_BODY_BYTES));
  await rejectProposal(actor, params.id, body.comment);
  return { id: params.id, status: "rejected" };
});
