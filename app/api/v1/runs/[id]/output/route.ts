import { outputTextStream } from "@/lib/api/output-stream";
import { apiRoute, idParam } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { outputDownloadQuery } from "@/lib/services/runs/output-fields";
import { followRunOutput } from "@/lib/services/runs/read-output";
import { followStepOutput } from "@/lib/services/runs/steps/step-output";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const id = idParam(params.id, "run");
  const { download, step } = outputDownloadQuery.parse(queryObject(request.url));
  const { follower, afterSeq } = step ? await followStepOutput(actor, id, step) : { follower: await followRunOutput(actor, id), afterSeq: 0 };
  return new Response(outputTextStream(follower, afterSeq), {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `${download === "1" ? "attachment" : "inline"}; filename="run-${id}${step ? `-${step}` : ""}.log"`,
      "Cache-Control": "no-store",
    },
  });
});
