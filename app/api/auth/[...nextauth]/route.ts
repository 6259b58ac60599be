import { NextRequest } from "next/server";
import { readBoundedText } from "@/lib/api/bounded-body";
import { errorResponseOf } from "@/lib/api/errors";
import { handlers } from "@/lib/auth/auth";

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
  return handlers.POST(new NextRequest(request.url, { method: "POST", headers, body }));
}
