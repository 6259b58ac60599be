import type { OutputStream } from "../db/schema";
import { SECRET_MASK } from "../runbooks/params";

export const MAX_LINE_CHARS = 16_384;

/** Output is masked line by line: a multi-line secret (a PEM key) is masked as each of its lines too. */
export const MIN_MASKED_LINE = 3;

function maskedPieces(secret: string): string[] {
  if (secret.length === 0) return [];
  const lines = secret.split(/\r\n|\n|\r/).filter((line) => line.length >= MIN_MASKED_LINE);
  return [secret, ...lines];
}

/**
 * Turns a process's chunks into lines with secrets masked. Chunks split anywhere — inside a line or
 * inside a secret — so redaction only ever runs on whole lines, and a line too long to keep whole
 * is cut where no secret can straddle the cut.
 */
export class LineAssembler {
  private readonly partial: Record<OutputStream, string> = { stdout: "", stderr: "", system: "" };
  private readonly secrets: string[];

  constructor(
    secrets: readonly string[],
    private readonly onLine: (stream: OutputStream, line: string) => void,
  ) {
    // Longest first, so a secret containing another is masked whole.
    this.secrets = [...new Set(secrets.flatMap(maskedPieces))].sort((a, b) => b.length - a.length);
  }

  write(stream: OutputStream, chunk: string): void {
    const parts = (this.partial[stream] + chunk).split("\n");
    this.partial[stream] = parts.pop() ?? "";
    for (const part of parts) this.emit(stream, part.endsWith("\r") ? part.slice(0, -1) : part);
    while (this.partial[stream].length > MAX_LINE_CHARS) {
      const text = this.redact(this.partial[stream]);
      const cut = this.safeCut(text, MAX_LINE_CHARS);
      this.onLine(stream, text.slice(0, cut));
      this.partial[stream] = text.slice(cut);
    }
  }

  /** Emits any unterminated last lines. */
  end(): void {
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream] !== "") this.emit(stream, this.partial[stream]);
      this.partial[stream] = "";
    }
  }

  redact(text: string): string {
    // PostgreSQL text cannot hold NUL; show where one was instead of failing the batch.
    let result = text.includes("\u0000") ? text.replaceAll("\u0000", "\u2400") : text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(SECRET_MASK);
    return result;
  }

  private emit(stream: OutputStream, raw: string): void {
    const text = this.redact(raw);
    if (text.length <= MAX_LINE_CHARS) {
      this.onLine(stream, text);
      return;
    }
    let rest = text;
    while (rest.length > MAX_LINE_CHARS) {
      const cut = this.safeCut(rest, MAX_LINE_CHARS);
      this.onLine(stream, rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    this.onLine(stream, rest);
  }

  /** Moves a cut left of any text that could be the start of a secret continuing past it. */
  private safeCut(text: string, limit: number): number {
    let cut = limit;
    for (const secret of this.secrets) {
      for (let overlap = Math.min(secret.length - 1, cut); overlap > 0; overlap -= 1) {
        if (text.slice(cut - overlap, cut) === secret.slice(0, overlap) && text.slice(cut, cut + secret.length - overlap) === secret.slice(overlap, overlap + text.length - cut)) {
          cut -= overlap;
          break;
        }
      }
    }
    return cut > 0 ? cut : limit;
  }
}
