import { apiRoute, jsonBody } from "@/lib/api/route";
import { createRunbookBody } from "@/lib/api/schemas";
import { saveRunbook } from "@/lib/services/runbooks/authoring/save-runbook";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ runbooks: await listRunbooks(actor) }));

/** Creates a Handrail-authored runbook from YAML: its first version. */
export const POST = apiRoute(
  async ({ actor, request }) => {
    const body = createRunbookBody.parse(await jsonBody(request));
    const { slug, revision, versionHash } = await saveRunbook(actor, body);
    return { slug, revision, versionHash };
  },
  { status: 201 },
);
