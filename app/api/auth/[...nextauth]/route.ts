import { NextRequest } from "next/server";
import { readBoundedText } from "@/lib/api/bounded-body";
import { errorResponseOf } from "@/lib/api/errors";
import { handlers } from "@/lib/auth/auth";
import { clientAddress } from "@/lib/auth/client-address";
import { signInRetryAfter } from "@/lib/services/users/sign-in";

/** A sign-in form is a few hundred bytes; Auth.js itself reads any body whole. */
const MAX_AUTH_BODY_BYTES = 64 * 1024;

export const { GET } = handlers;

export async function POST(request: NextRequest): Promise<Response> {
  let body: string;
  try {
    body = await readBoundedText(request, MAX_AUTH_BODY_BYTES);
  } catch (error) {
    const { status, body: message } = errorResponseOf(error);
    return Response.json(message, { status });
  }
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  // A locked account or address: the attempt is still recorded by the sign-in, then answered 429.
  const signingIn = request.nextUrl.pathname.endsWith("/callback/credentials");
  const retryAfter = signingIn ? await signInRetryAfter(new URLSearchParams(body).get("email") ?? "", clientAddress(request.headers)) : 0;
  const response = await handlers.POST(new NextRequest(request.url, { method: "POST", headers, body }));
  if (retryAfter === 0) return response;
  return Response.json({ error: `too many failed sign-ins: try again in ${retryAfter} s` }, { status: 429, headers: { "Retry-After": String(retryAfter) } });
}
