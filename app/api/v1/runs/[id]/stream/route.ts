import { EVENT_STREAM_HEADERS, outputEventStream } from "@/lib/api/output-stream";
import { apiRoute, idParam } from "@/lib/api/route";
import { actorResolver } from "@/lib/auth/current-actor";
import { queryObject } from "@/lib/api/query";
import { outputStreamQuery } from "@/lib/services/runs/output-fields";
import { followRunOutput } from "@/lib/services/runs/read-output";
import { followStepOutput } from "@/lib/services/runs/steps/step-output";
import { watchingPresence } from "@/lib/services/runs/watching";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function resumeAfter(request: Request): number {
  const lastEventId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  return lastEventId && /^\d{1,9}$/.test(lastEventId) ? Number(lastEventId) : 0;
}

export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) => {
  const id = idParam(params.id, "run");
  const { tail, step } = outputStreamQuery.parse(queryObject(request.url));
  // The stream outlives the request: it resolves the same token or session again as it goes.
  const resolver = await actorResolver(request);
  const { follower, afterSeq } = step ? await followStepOutput(actor, id, step, resolver) : { follower: await followRunOutput(actor, id, resolver), afterSeq: 0 };
  const presence = await watchingPresence(actor, id);
  return new Response(outputEventStream(follower, Math.max(afterSeq, resumeAfter(request)), request.signal, { ...(tail ? { tail } : {}), presence }), {
    headers: EVENT_STREAM_HEADERS,
  });
});
