import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client";
import type { OutputStream } from "../db/schema";
import { SECRET_MASK } from "../runbooks/params";
import { RUN_EVENTS_CHANNEL } from "./channels";

const MAX_LINE_CHARS = 16_384;
const FLUSH_EVERY_MS = 50;
const FLUSH_AT_LINES = 500;

interface PendingLine {
  seq: number;
  stream: OutputStream;
  at: string;
  line: string;
}

/**
 * Persist, then stream: lines are buffered briefly, written in one statement, and only then are
 * viewers woken. Tracks the digest of everything written so a run records what it printed.
 */
export class OutputWriter {
  private pending: PendingLine[] = [];
  private partial: Record<OutputStream, string> = { stdout: "", stderr: "", system: "" };
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly digest = createHash("sha256");
  private seq: number;
  lines = 0;
  bytes = 0;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly runId: number,
    private readonly secrets: string[],
    startSeq = 0,
  ) {
    this.seq = startSeq;
  }

  write(stream: OutputStream, chunk: string): void {
    const text = this.partial[stream] + chunk;
    const parts = text.split("\n");
    this.partial[stream] = parts.pop() ?? "";
    for (const part of parts) this.pushLine(stream, part.endsWith("\r") ? part.slice(0, -1) : part);
    while (this.partial[stream].length > MAX_LINE_CHARS) {
      this.pushLine(stream, this.partial[stream].slice(0, MAX_LINE_CHARS));
      this.partial[stream] = this.partial[stream].slice(MAX_LINE_CHARS);
    }
  }

  system(message: string): void {
    this.pushLine("system", message);
  }

  private redact(line: string): string {
    let result = line;
    for (const secret of this.secrets) result = result.split(secret).join(SECRET_MASK);
    return result;
  }

  private pushLine(stream: OutputStream, raw: string): void {
    for (let start = 0; start < Math.max(raw.length, 1); start += MAX_LINE_CHARS) {
      const line = this.redact(raw.slice(start, start + MAX_LINE_CHARS));
      this.seq += 1;
      this.lines += 1;
      const bytes = Buffer.byteLength(line) + 1;
      this.bytes += bytes;
      this.digest.update(`${line}\n`);
      this.pending.push({ seq: this.seq, stream, at: new Date().toISOString(), line });
    }
    if (this.pending.length >= FLUSH_AT_LINES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      const rows = JSON.stringify(batch.map((line) => [line.seq, line.stream, line.at, line.line]));
      await this.handle.db.execute(sql`
        insert into run_output (run_id, seq, stream, at, line)
        select ${this.runId}, (e->>0)::int, e->>1, (e->>2)::timestamptz, e->>3
        from json_array_elements(${rows}::json) as e`);
      await this.handle.notify(RUN_EVENTS_CHANNEL, String(this.runId));
    });
    return this.flushing;
  }

  /** Writes any unterminated last lines and waits for everything to be stored. */
  async close(): Promise<void> {
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream] !== "") {
        this.pushLine(stream, this.partial[stream]);
        this.partial[stream] = "";
      }
    }
    await this.flush();
  }

  sha256(): string {
    return this.digest.copy().digest("hex");
  }
}
