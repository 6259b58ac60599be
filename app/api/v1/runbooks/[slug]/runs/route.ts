import { apiRoute, jsonBody } from "@/lib/api/route";
import { runRequestBody } from "@/lib/api/schemas";
import { requestRun } from "@/lib/services/runs/request-run";
import { RUN_REQUEST_BODY_BYTES } from "@/lib/api/bounded-body";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ slug: string }>(
  async ({ actor, request, params }) => {
    const body = runRequestBody.parse(await jsonBody(request, RUN_REQUEST_BODY_BYTES));
    return requestRun(actor, { ...body, slug: params.slug });
  },
  { status: 201 },
);
