import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { revisionCompareQuery } from "@/lib/services/runbooks/runbook-fields";
import { compareRevisions } from "@/lib/services/runbooks/authoring/history";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async ({ actor, request, params }) => {
  const query = revisionCompareQuery.parse(queryObject(request.url));
  return compareRevisions(actor, params.slug, query.from, query.to);
});
