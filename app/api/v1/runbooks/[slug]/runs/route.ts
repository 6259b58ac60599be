import { apiRoute, jsonObjectBody } from "@/lib/api/route";
import { RUN_REQUEST_BODY_BYTES } from "@/lib/api/bounded-body";
import { requestAndFollowRun } from "@/lib/api/follow-new-run";
import { queryObject } from "@/lib/api/query";
import { requestRun } from "@/lib/services/runs/request-run";
import { runRequestQuery } from "@/lib/services/runs/run-fields";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Requests a run; the service checks the body once the caller may see the runbook. With `?follow=1`, answers with its live output. */
export const POST = apiRoute<{ slug: string }>(
  async ({ actor, request, params }) => {
    const { follow } = runRequestQuery.parse(queryObject(request.url));
    const runRequest = { ...(await jsonObjectBody(request, RUN_REQUEST_BODY_BYTES)), slug: params.slug };
    return follow === "1" ? requestAndFollowRun(actor, runRequest, request) : requestRun(actor, runRequest);
  },
  { status: 201 },
);
