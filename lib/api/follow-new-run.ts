import type { Actor } from "../services/actor";
import { followRunOutput } from "../services/runs/read-output";
import { requestRunAndRow, type RunRequest } from "../services/runs/request-run";
import { actorResolver } from "../auth/current-actor";
import { AppError } from "../errors";
import { isFinishedStatus } from "../run-statuses";
import { EVENT_STREAM_HEADERS, eventText, eventsOnlyStream, outputEventStream } from "./output-stream";

/**
 * A run request with `?follow=1`: a `run` event with the run just created, then its output as
 * `GET /runs/{id}/stream` sends it, in the same response. A refused request is an ordinary error
 * answer; once the run exists, a refusal to read its output is an `error` event after the run,
 * never a failed request that a client would retry (and so request the run twice).
 */
export async function requestAndFollowRun(actor: Actor, runRequest: RunRequest, request: Request): Promise<Response> {
  const { run, row } = await requestRunAndRow(actor, runRequest);
  const opening = eventText("run", run);
  try {
    const follower = await followRunOutput(actor, run.id, await actorResolver(request), row);
    const { status, exitCode, pageChanges } = row.run;
    const knownState = { status, exitCode, finished: isFinishedStatus(status), pageChanges };
    return new Response(outputEventStream(follower, 0, request.signal, { opening, knownState }), { status: 201, headers: EVENT_STREAM_HEADERS });
  } catch (error) {
    const reason = error instanceof AppError ? error.message : `the run was requested, but its output cannot be followed here: GET /api/v1/runs/${run.id}/stream`;
    if (!(error instanceof AppError)) console.error(`run ${run.id}: following its output failed: ${(error as Error).message}`);
    return new Response(eventsOnlyStream(opening + eventText("error", { error: reason })), { status: 201, headers: EVENT_STREAM_HEADERS });
  }
}
