import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { runFiltersQuery } from "@/lib/services/runs/run-fields";
import { listRuns } from "@/lib/services/runs/list-runs";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, request }) => listRuns(actor, runFiltersQuery.parse(queryObject(request.url))));
