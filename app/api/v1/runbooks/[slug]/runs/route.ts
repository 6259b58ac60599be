import { apiRoute, jsonObjectBody } from "@/lib/api/route";
import { RUN_REQUEST_BODY_BYTES } from "@/lib/api/bounded-body";
import { requestRun } from "@/lib/services/runs/request-run";

export const dynamic = "force-dynamic";

/** Requests a run; the service checks the body once the caller may see the runbook. */
export const POST = apiRoute<{ slug: string }>(
  async ({ actor, request, params }) => requestRun(actor, { ...(await jsonObjectBody(request, RUN_REQUEST_BODY_BYTES)), slug: params.slug }),
  { status: 201 },
);
