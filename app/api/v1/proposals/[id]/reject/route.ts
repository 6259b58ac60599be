import { apiRoute, jsonBody } from "@/lib/api/route";
import { rejectProposalBody } from "@/lib/api/schemas";
import { rejectProposal } from "@/lib/services/runbooks/proposals/review-proposal";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const body = rejectProposalBody.parse(await jsonBody(request));
  await rejectProposal(actor, params.id, body.comment);
  return { id: params.id, status: "rejected" };
});
