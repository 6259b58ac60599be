import { apiRoute, jsonBody } from "@/lib/api/route";
import { publishProposalBody } from "@/lib/api/schemas";
import { publishProposal } from "@/lib/services/runbooks/proposals/review-proposal";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const body = publishProposalBody.parse(await jsonBody(request));
  const published = await publishProposal(actor, params.id, body.comment);
  return { id: params.id, status: "published", ...published };
});
