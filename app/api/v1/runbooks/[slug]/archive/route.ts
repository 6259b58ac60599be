import { apiRoute, jsonBody } from "@/lib/api/route";
import { archiveRunbookBody } from "@/lib/services/runbooks/runbook-fields";
import { setRunbookArchived } from "@/lib/services/runbooks/authoring/archive-runbook";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ slug: string }>(async ({ actor, request, params }) => {
  const body = archiveRunbookBody.parse(await jsonBody(request, DECISION_BODY_BYTES));
  await setRunbookArchived(actor, params.slug, body.archived, body.reason);
  return { slug: params.slug, archived: body.archived };
});
