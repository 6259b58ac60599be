import { apiRoute, jsonBody } from "@/lib/api/route";
import { createRunbookBody } from "@/lib/services/runbooks/runbook-fields";
import { isPendingReview } from "@/lib/services/runbooks/authoring/hold-loosening";
import { saveRunbook } from "@/lib/services/runbooks/authoring/save-runbook";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ runbooks: await listRunbooks(actor) }));

/** Creates a Handrail-authored runbook from YAML: its first version. */
export const POST = apiRoute(
  async ({ actor, request }) => {
    const body = createRunbookBody.parse(await jsonBody(request));
    const saved = await saveRunbook(actor, body);
    if (isPendingReview(saved)) return Response.json(saved, { status: 202 });
    return { slug: saved.slug, revision: saved.revision, versionHash: saved.versionHash };
  },
  { status: 201 },
);
