import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError, forbidden } from "../errors";
import { forOneRequest, type Actor } from "../services/actor";
import { sessionUser } from "../services/users/sessions";
import { authenticateToken, resolveToken } from "../services/tokens/tokens";
import { auth, type HandrailSession } from "./auth";
import { clientAddress } from "./client-address";

/**
 * The signed-in browser user, re-read from the database so deactivation and role changes apply at
 * once; null when the session has ended (signed out, or ended by a password reset, role change or
 * deactivation).
 */
export const sessionActor = cache(async (): Promise<Actor | null> => {
  const resolve = await sessionResolver();
  return resolve ? resolve() : null;
});

/** Reads the session cookie once; the returned function checks it against the database each time it is called. */
async function sessionResolver(): Promise<(() => Promise<Actor | null>) | null> {
  const session = (await auth()) as HandrailSession | null;
  const id = session?.user?.id;
  if (!id) return null;
  const requestHeaders = await headers();
  const ip = clientAddress(requestHeaders);
  const userAgent = requestHeaders.get("user-agent");
  const claims = { userId: id, sessionId: session.sessionId, sessionVersion: session.sessionVersion };
  return async () => {
    const user = await sessionUser(claims);
    return user ? forOneRequest({ user, via: "web", ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) }) : null;
  };
}

/** For pages and server actions: the actor, or a redirect to the sign-in page. */
export async function requireActor(returnTo?: string): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect(returnTo ? `/signin?callbackUrl=${encodeURIComponent(returnTo)}` : "/signin");
  return actor;
}

/**
 * A browser session may change state only from this site: a cross-site page cannot make the
 * browser POST here with the user's cookie. Token callers send no cookie and are not affected.
 */
function isSameOriginWrite(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** For route handlers: a bearer token if one is sent, otherwise the browser session. */
export async function requestActor(request: Request): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) return null;
    const resolved = await resolveToken(match[1], {
      ip: clientAddress(request.headers),
      userAgent: request.headers.get("user-agent") ?? undefined,
    });
    if ("refusal" in resolved) throw new AppError("unauthenticated", resolved.refusal);
    return forOneRequest(resolved.actor);
  }
  if (!isSameOriginWrite(request)) {
    throw forbidden("cross-site request refused: a browser session may change state only from this site (send a bearer token instead)");
  }
  return sessionActor();
}

/**
 * For a response that outlives its request (an output stream): resolves the request's actor again,
 * from the same token or session cookie, as it stands now; null once the token is revoked, the
 * session ended or the user deactivated.
 */
export async function actorResolver(request: Request): Promise<() => Promise<Actor | null>> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const context = { ip: clientAddress(request.headers), userAgent: request.headers.get("user-agent") ?? undefined };
    return async () => (token ? authenticateToken(token, context) : null);
  }
  return (await sessionResolver()) ?? (async () => null);
}
