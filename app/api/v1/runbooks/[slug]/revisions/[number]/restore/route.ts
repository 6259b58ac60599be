import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { restoreRevisionBody } from "@/lib/services/runbooks/runbook-fields";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { restoreRevision } from "@/lib/services/runbooks/authoring/restore-revision";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ slug: string; number: string }>(
  async ({ actor, request, params }) => {
    const number = idParam(params.number, "version");
    const body = restoreRevisionBody.parse(await jsonBody(request));
    const restored = await restoreRevision(actor, params.slug, number, body.message);
    // A restore that loosens a safety net waits for another editor: 202 with the proposal.
    return isPendingReview(restored) ? Response.json(restored, { status: 202 }) : restored;
  },
  { status: 201 },
);
