import { apiRoute, idParam } from "@/lib/api/route";
import { outputLinesQuery, queryObject } from "@/lib/api/schemas";
import { readOutputRange } from "@/lib/services/runs/read-output-range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  readOutputRange(actor, idParam(params.id, "run"), outputLinesQuery.parse(queryObject(request.url))),
);
