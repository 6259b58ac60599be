import { apiRoute, idParam, jsonBody } from "@/lib/api/route";
import { DECISION_BODY_BYTES } from "@/lib/api/bounded-body";
import { addRunNote } from "@/lib/services/runs/add-run-note";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, request, params }) => addRunNote(actor, idParam(params.id, "run"), await jsonBody(request, DECISION_BODY_BYTES)), {
  status: 201,
});
