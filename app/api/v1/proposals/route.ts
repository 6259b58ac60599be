import { apiRoute, jsonBody } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { proposalListQuery, proposeRunbookBody } from "@/lib/services/runbooks/proposals/proposal-fields";
import { proposeRunbook } from "@/lib/services/runbooks/proposals/propose-runbook";
import { listProposals } from "@/lib/services/runbooks/proposals/read-proposals";

export const dynamic = "force-dynamic";

/** Proposals the caller wrote or may review, newest first; `?status=open` for the review queue. */
export const GET = apiRoute(async ({ actor, request }) => {
  const { status } = proposalListQuery.parse(queryObject(request.url));
  return { proposals: await listProposals(actor, status) };
});

/** Drafts a new runbook (no slug) or a change to one (slug) for an operator to review. */
export const POST = apiRoute(
  async ({ actor, request }) => {
    const body = proposeRunbookBody.parse(await jsonBody(request));
    const { id } = await proposeRunbook(actor, body);
    return { id };
  },
  { status: 201 },
);
