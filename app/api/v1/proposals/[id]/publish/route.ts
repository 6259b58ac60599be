import { apiRoute, jsonBody } from "@/lib/api/route";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";
import { publishProposal } from "@/lib/services/runbooks/proposals/review-proposal";

export const dynamic = "force-dynamic";

/** The service checks the comment once the caller may review. */
export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const published = await publishProposal(actor, params.id, await jsonBody(request, DECISION_BODY_BYTES));
  return { id: params.id, status: "published", ...published };
});
