import { outputTextStream } from "@/lib/api/output-stream";
import { apiRoute, idParam } from "@/lib/api/route";
import { followRunOutput } from "@/lib/services/runs/read-output";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => {
  const id = idParam(params.id, "run");
  const follower = await followRunOutput(actor, id);
  return new Response(outputTextStream(follower), {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `inline; filename="run-${id}.log"`,
    },
  });
});
