import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { breakGlassListQuery } from "@/lib/services/runs/run-fields";
import { listBreakGlassRuns } from "@/lib/services/runs/approvals/list-approvals";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, request }) => {
  const { reviewed } = breakGlassListQuery.parse(queryObject(request.url));
  return { runs: await listBreakGlassRuns(actor, { reviewed: reviewed === "true" }) };
});
