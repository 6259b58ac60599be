import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { restoreRevisionBody } from "@/lib/api/schemas";
import { restoreRevision } from "@/lib/services/runbooks/authoring/restore-revision";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ slug: string; number: string }>(
  async ({ actor, request, params }) => {
    const number = idParam(params.number, "version");
    const body = restoreRevisionBody.parse(await jsonBody(request));
    return restoreRevision(actor, params.slug, number, body.message);
  },
  { status: 201 },
);
