import { AppError } from "../errors";

/** What a JSON request body may hold unless a route says less. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): AppError {
  const limit = maxBytes >= 1024 ? `${Math.round(maxBytes / 1024)} KiB` : `${maxBytes} bytes`;
  return new AppError("payload_too_large", `request body is larger than ${limit}`);
}

/**
 * Reads a body as text, refusing (413) once it passes `maxBytes`: a declared Content-Length is
 * judged before anything is read, and a chunked body is cut off as it streams, so no request can
 * make the server hold more than the limit.
 */
export async function readBoundedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** A run request: parameter values (at most 4,096 characters each), a reason, a ticket. */
export const RUN_REQUEST_BODY_BYTES = 64 * 1024;
/** A decision, an acknowledgement or an archive: a comment or a reason. */
export const DECISION_BODY_BYTES = 16 * 1024;
