import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client";
import type { OutputStream } from "../db/schema";
import { RUN_EVENTS_CHANNEL } from "./channels";
import { LineAssembler } from "./line-assembler";

/** Lines per insert statement. */
const BATCH_LINES = 5000;
/** Above this many unsaved lines the process's pipes are paused until the store catches up. */
const HIGH_WATER_LINES = 20_000;

interface PendingLine {
  seq: number;
  stream: OutputStream;
  at: string;
  line: string;
}

export interface OutputWriterOptions {
  /** Values masked wherever they appear in the output. */
  secrets: readonly string[];
  /** Stored bytes after which further lines are counted but dropped. */
  capBytes: number;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * Persist, then stream: a line is stored before any viewer is woken. When the store is idle a line
 * goes out at once (low latency for the first byte); while a write is in flight, lines gather into
 * the next batch (throughput for floods). Tracks the digest of everything stored.
 */
export class OutputWriter {
  private pending: PendingLine[] = [];
  private flushing = false;
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly drainListeners = new Set<() => void>();
  private readonly digest = createHash("sha256");
  private readonly assembler: LineAssembler;
  private seq = 0;
  lines = 0;
  bytes = 0;
  droppedLines = 0;
  droppedBytes = 0;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly runId: number,
    private readonly options: OutputWriterOptions,
  ) {
    this.assembler = new LineAssembler(options.secrets, (stream, line) => this.store(stream, line));
  }

  /** Returns false when the caller should pause its source until `onDrain` fires. */
  write(stream: OutputStream, chunk: string): boolean {
    this.assembler.write(stream, chunk);
    return this.pending.length < HIGH_WATER_LINES;
  }

  onDrain(listener: () => void): () => void {
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  /** Handrail's own messages (timeouts, cancellation, truncation): never dropped by the cap. */
  system(message: string): void {
    this.append("system", this.assembler.redact(message));
  }

  get truncated(): boolean {
    return this.droppedLines > 0;
  }

  private store(stream: OutputStream, line: string): void {
    const size = Buffer.byteLength(line) + 1;
    if (this.truncated || this.bytes + size > this.options.capBytes) {
      if (!this.truncated) {
        this.system(`output cap of ${formatBytes(this.options.capBytes)} reached: further output is counted but not stored (the run goes on)`);
      }
      this.droppedLines += 1;
      this.droppedBytes += size;
      return;
    }
    this.append(stream, line);
  }

  private append(stream: OutputStream, line: string): void {
    this.seq += 1;
    this.lines += 1;
    this.bytes += Buffer.byteLength(line) + 1;
    this.digest.update(`${line}\n`);
    this.pending.push({ seq: this.seq, stream, at: new Date().toISOString(), line });
    this.schedule();
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    this.idle = new Promise((resolve) => (this.resolveIdle = resolve));
    // One tick lets the rest of the current chunk join the first batch.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, BATCH_LINES);
        await this.insert(batch);
        if (this.pending.length < HIGH_WATER_LINES) for (const listener of this.drainListeners) listener();
      }
    } catch (error) {
      this.failure = error as Error;
      this.pending = [];
    } finally {
      this.flushing = false;
      this.resolveIdle?.();
    }
  }

  /**
   * One statement stores the batch and notifies the viewers: a notification is delivered when its
   * transaction commits, so no viewer is woken before the lines are visible. One round trip instead
   * of two matters on the embedded database, where every statement holds the server's only thread.
   */
  private async insert(batch: PendingLine[]): Promise<void> {
    const rows = JSON.stringify(batch.map((line) => [line.seq, line.stream, line.at, line.line]));
    await this.handle.db.execute(sql`
      with stored as (
        insert into run_output (run_id, seq, stream, at, line)
        select ${this.runId}, (e->>0)::int, e->>1, (e->>2)::timestamptz, e->>3
        from json_array_elements(${rows}::json) as e)
      select pg_notify(${RUN_EVENTS_CHANNEL}, ${String(this.runId)})`);
  }

  /** Waits until every line written so far is stored. */
  async flush(): Promise<void> {
    while (this.flushing || this.scheduled || this.pending.length > 0) {
      if (!this.flushing && !this.scheduled) this.schedule();
      await this.idle;
    }
    if (this.failure) throw this.failure;
  }

  /** Writes any unterminated last lines, notes what the cap dropped, and waits for everything to be stored. */
  async close(): Promise<void> {
    this.assembler.end();
    if (this.truncated) {
      this.system(`${this.droppedLines} more lines (${formatBytes(this.droppedBytes)}) were printed after the cap and not stored`);
    }
    await this.flush();
  }

  sha256(): string {
    return this.digest.copy().digest("hex");
  }
}
