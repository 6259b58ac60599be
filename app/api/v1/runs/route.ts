import { apiRoute } from "@/lib/api/route";
import { queryObject, runFiltersQuery } from "@/lib/api/schemas";
import { listRuns } from "@/lib/services/runs/list-runs";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, request }) => listRuns(actor, runFiltersQuery.parse(queryObject(request.url))));
