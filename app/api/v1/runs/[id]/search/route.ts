import { apiRoute, idParam } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { outputSearchQuery } from "@/lib/services/runs/output-fields";
import { searchOutput } from "@/lib/services/runs/search-output";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  searchOutput(actor, idParam(params.id, "run"), outputSearchQuery.parse(queryObject(request.url))),
);
