import type { Actor } from "../services/actor";
import { AppError } from "../errors";
import { requestActor } from "../auth/current-actor";
import { errorResponseOf } from "./errors";
import { MAX_JSON_BODY_BYTES, readBoundedText } from "./bounded-body";
import { STEP_ID } from "../runbooks/steps";

type RouteParams = Record<string, string | string[] | undefined>;

interface RouteContext<P extends RouteParams> {
  actor: Actor;
  request: Request;
  params: P;
}

/**
 * Wraps a route handler: resolves the actor (bearer token or session), refuses with 401 when
 * there is none, and maps every thrown error to `{ error, field? }`. A returned Response passes
 * through; anything else is sent as JSON.
 */
export function apiRoute<P extends RouteParams = RouteParams>(
  handler: (context: RouteContext<P>) => Promise<unknown>,
  options: { status?: number } = {},
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const actor = await requestActor(request);
      if (!actor) throw new AppError("unauthenticated", "a valid bearer token or session is required");
      const result = await handler({ actor, request, params: await context.params });
      if (result instanceof Response) return result;
      return Response.json(result, { status: options.status ?? 200 });
    } catch (error) {
      const { status, body } = errorResponseOf(error);
      return Response.json(body, { status, headers: status === 401 ? { "WWW-Authenticate": "Bearer" } : {} });
    }
  };
}

/** Reads a JSON body of at most `maxBytes` (413 past it), turning malformed JSON into a 400 rather than a 500. */
export async function jsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const text = await readBoundedText(request, maxBytes);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "request body is not valid JSON", "body");
  }
}

/** A JSON body that must be an object (the shape every request body has); its fields are the service's to check. */
export async function jsonObjectBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<Record<string, unknown>> {
  const body = await jsonBody(request, maxBytes);
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new AppError("invalid_input", "the request body must be a JSON object", "body");
  return body as Record<string, unknown>;
}

/** Parses a positive integer id from a path segment; anything else is 404. */
export function idParam(value: string | string[] | undefined, what: string): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !/^\d{1,15}$/.test(text)) throw new AppError("not_found", `no ${what} ${text ?? ""}`.trim());
  return Number(text);
}

/** A step id from a path segment; anything that cannot be one is 404. */
export function stepIdParam(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text || !STEP_ID.test(text)) throw new AppError("not_found", "no such step");
  return text;
}
