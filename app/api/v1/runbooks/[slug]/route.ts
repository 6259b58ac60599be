import { apiRoute, jsonBody } from "@/lib/api/route";
import { updateRunbookBody } from "@/lib/services/runbooks/runbook-fields";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { saveRunbook } from "@/lib/services/runbooks/authoring/save-runbook";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async ({ actor, params }) => getRunbook(actor, params.slug));

/**
 * Saves a new version of a Handrail-authored runbook; with baseRevision, 409 if another save landed
 * since. A change that loosens a safety net answers 202 with the proposal another editor must publish.
 */
export const PUT = apiRoute<{ slug: string }>(async ({ actor, request, params }) => {
  const body = updateRunbookBody.parse(await jsonBody(request));
  const saved = await saveRunbook(actor, { ...body, slug: params.slug });
  return isPendingReview(saved) ? Response.json(saved, { status: 202 }) : saved;
});
