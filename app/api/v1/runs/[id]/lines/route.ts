import { apiRoute, idParam } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { outputLinesQuery } from "@/lib/services/runs/output-fields";
import { readOutputRange } from "@/lib/services/runs/read-output-range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  readOutputRange(actor, idParam(params.id, "run"), outputLinesQuery.parse(queryObject(request.url))),
);
