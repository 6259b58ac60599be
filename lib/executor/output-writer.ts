import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client";
import type { OutputStream } from "../db/schema";
import { RUN_EVENTS_CHANNEL } from "../runs/channels";
import { announceStoredLines, followedHere } from "../runs/stored-lines";
import { OUTPUT_SEARCH_BLOCK_LINES, searchTextOf } from "../runs/output-search-text";
import { LineAssembler } from "./line-assembler";

/** Lines per insert statement. */
const BATCH_LINES = 5000;
/** Above this many unsaved lines the process's pipes are paused until the store catches up. */
const HIGH_WATER_LINES = 20_000;
/**
 * Waits between attempts to store a batch the database refused: rides out a dropped connection or
 * a short failover (about 8 s in all) before the run is failed. Each attempt is idempotent.
 */
const STORE_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];

/** Consecutive stored lines as one block of search text (run_output_blocks). */
interface SearchBlock {
  firstSeq: number;
  lastSeq: number;
  text: string;
}

interface PendingLine {
  seq: number;
  stream: OutputStream;
  at: string;
  line: string;
  /** UTF-8 bytes with the newline. */
  size: number;
}

export interface OutputWriterOptions {
  /** Values masked wherever they appear in the output. */
  secrets: readonly string[];
  /** Stored bytes after which further lines are counted but dropped. */
  capBytes: number;
  /** The run's output so far, when a run of steps is taken up again: new lines follow it and count against the cap with it. */
  continueAfter?: { lastSeq: number; bytes: number };
}

/** What a line costs against the cap and in the run's byte count: its UTF-8 bytes and the newline. */
function lineSize(line: string): number {
  return Buffer.byteLength(line) + 1;
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
/** Lines kept as the run's tail. */
const TAIL_LINES = 20;

export class OutputWriter {
  private pending: PendingLine[] = [];
  private flushing = false;
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly drainListeners = new Set<() => void>();
  private readonly failureListeners = new Set<(error: Error) => void>();
  private firstStoreListeners: Array<() => void> | undefined = [];
  private readonly digest = createHash("sha256");
  private readonly assembler: LineAssembler;
  private seq: number;
  /** This writer's first line: 1, or the line after those a run of steps printed before it waited. */
  private readonly firstSeq: number;
  private chunkAt: string | undefined;
  /** Bytes accepted so far, stored or waiting to be: what the cap is measured against. */
  private acceptedBytes: number;
  /** Lines and bytes the database has committed; the digest covers exactly these. */
  lines = 0;
  bytes = 0;
  droppedLines = 0;
  droppedBytes = 0;
  /** Lines accepted but never stored because the store failed. */
  lostLines = 0;
  /** The last line the run printed on stdout, masked: where a view's result is read from. */
  lastStdoutLine: string | undefined;
  /** The run's last few lines of output, masked, oldest first: what a view's panel shows when its result cannot be read. */
  readonly tail: string[] = [];
  /** Lines of the search block not yet complete, and the seq it starts at. */
  private blockLines: string[] = [];
  private blockFirstSeq: number;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly runId: number,
    private readonly options: OutputWriterOptions,
  ) {
    this.assembler = new LineAssembler(options.secrets, (stream, line) => this.store(stream, line));
    this.firstSeq = (options.continueAfter?.lastSeq ?? 0) + 1;
    this.seq = this.firstSeq - 1;
    this.blockFirstSeq = this.firstSeq;
    this.acceptedBytes = options.continueAfter?.bytes ?? 0;
  }

  /** The seq of the last line accepted so far: where a step's lines end. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Masks the run's secrets in text shown beside the output (a step's outputs). */
  redact(text: string): string {
    return this.assembler.redact(text);
  }

  /** Returns false when the caller should pause its source until `onDrain` fires. */
  write(stream: OutputStream, chunk: string): boolean {
    // Every line of a chunk arrived at the same moment. One clock read per chunk, not per line,
    // matters in a flood: inside the web server `new Date()` goes through Next.js's wrapper.
    this.chunkAt = new Date().toISOString();
    this.assembler.write(stream, chunk);
    this.chunkAt = undefined;
    return this.failure !== undefined || this.pending.length < HIGH_WATER_LINES;
  }

  onDrain(listener: () => void): () => void {
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  /** Called once the first batch of lines is stored (at once if it already is), or once the store has failed. */
  afterFirstStore(listener: () => void): void {
    if (this.firstStoreListeners) this.firstStoreListeners.push(listener);
    else listener();
  }

  private firstStoreDone(): void {
    const listeners = this.firstStoreListeners;
    this.firstStoreListeners = undefined;
    for (const listener of listeners ?? []) listener();
  }

  /** Called once if the store refuses a batch after every retry; from then on output is discarded. */
  onFailure(listener: (error: Error) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /**
   * Why output could not be stored, if it could not: the database's own message. Drizzle's wrapper
   * would repeat the statement and its parameters, that is the very lines that were refused.
   */
  get storeFailure(): string | undefined {
    if (!this.failure) return undefined;
    const cause = this.failure.cause instanceof Error ? this.failure.cause : this.failure;
    return `output could not be stored: ${cause.message}`;
  }

  /** Handrail's own messages (timeouts, cancellation, truncation): never dropped by the cap. */
  system(message: string): void {
    this.append("system", this.assembler.redact(message));
  }

  get truncated(): boolean {
    return this.droppedLines > 0;
  }

  private store(stream: OutputStream, line: string): void {
    const size = lineSize(line);
    if (this.truncated || this.acceptedBytes + size > this.options.capBytes) {
      if (!this.truncated) {
        this.system(`output cap of ${formatBytes(this.options.capBytes)} reached: further output is counted but not stored (the run goes on)`);
      }
      this.droppedLines += 1;
      this.droppedBytes += size;
      return;
    }
    this.append(stream, line, size);
  }

  private append(stream: OutputStream, line: string, size = lineSize(line)): void {
    if (this.failure) {
      this.lostLines += 1;
      return;
    }
    this.seq += 1;
    this.acceptedBytes += size;
    if (stream === "stdout") this.lastStdoutLine = line;
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    this.pending.push({ seq: this.seq, stream, at: this.chunkAt ?? new Date().toISOString(), line, size });
    this.schedule();
  }

  private stored(batch: readonly PendingLine[]): void {
    for (const { line, size } of batch) {
      this.lines += 1;
      this.bytes += size;
      this.digest.update(`${line}\n`);
    }
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
        await this.insertWithRetries(batch, this.completedBlocks(batch));
        this.stored(batch);
        if (followedHere(this.runId)) announceStoredLines(this.runId, batch.map(({ seq, stream, at, line }) => ({ seq, stream, at, line })));
        this.firstStoreDone();
        if (this.pending.length < HIGH_WATER_LINES) for (const listener of this.drainListeners) listener();
      }
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.flushing = false;
      this.resolveIdle?.();
    }
  }

  /** Adds the batch's lines to the search block; the blocks they complete go in with them. */
  private completedBlocks(batch: readonly PendingLine[]): SearchBlock[] {
    const blocks: SearchBlock[] = [];
    for (const { seq, line } of batch) {
      this.blockLines.push(line);
      if (seq % OUTPUT_SEARCH_BLOCK_LINES === 0) blocks.push(this.takeBlock(seq));
    }
    return blocks;
  }

  private takeBlock(lastSeq: number): SearchBlock {
    const block = { firstSeq: this.blockFirstSeq, lastSeq, text: this.blockLines.join("\n") };
    this.blockLines = [];
    this.blockFirstSeq = lastSeq + 1;
    return block;
  }

  private fail(error: Error): void {
    this.failure = error;
    this.lostLines += this.seq - (this.firstSeq - 1) - this.lines;
    this.pending = [];
    // Paused pipes must flow again so the process can be stopped and its output discarded.
    for (const listener of this.drainListeners) listener();
    for (const listener of this.failureListeners) listener(error);
    this.firstStoreDone();
  }

  private async insertWithRetries(batch: PendingLine[], blocks: SearchBlock[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.insert(batch, blocks, attempt > 0);
        return;
      } catch (error) {
        const delay = STORE_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * One statement stores the batch and, on PostgreSQL, notifies viewers in other processes: a
   * notification is delivered when its transaction commits, so no viewer is woken before the lines
   * are visible. Viewers in this process are handed the lines once they are stored; the embedded
   * database has no other process, so there the statement only stores (every statement holds the
   * server's only thread).
   */
  private async insert(batch: PendingLine[], blocks: SearchBlock[], retry = false): Promise<void> {
    // A retry may follow an attempt that committed before its answer was lost. Only retries pay
    // for ON CONFLICT, which costs about a tenth of the throughput of a flood.
    const onConflict = retry ? sql`on conflict do nothing` : sql``;
    const inserts: SQL[] = [];
    if (batch.length > 0) {
      const rows = JSON.stringify(batch.map((line) => [line.seq, line.stream, line.at, line.line]));
      inserts.push(sql`stored as (
        insert into run_output (run_id, seq, stream, at, line)
        select ${this.runId}, (e->>0)::int, e->>1, (e->>2)::timestamptz, e->>3
        from json_array_elements(${rows}::json) as e
        ${onConflict})`);
    }
    if (blocks.length > 0) {
      const rows = JSON.stringify(blocks.map((block) => [block.firstSeq, block.lastSeq, block.text]));
      inserts.push(sql`blocked as (
        insert into run_output_blocks (run_id, first_seq, last_seq, search_text)
        select ${this.runId}, (b->>0)::int, (b->>1)::int, ${searchTextOf(sql`(b->>2)`)}
        from json_array_elements(${rows}::json) as b
        ${onConflict})`);
    }
    if (inserts.length === 0) return;
    const notify = batch.length > 0 && this.handle.kind === "postgres" ? sql`pg_notify(${RUN_EVENTS_CHANNEL}, ${String(this.runId)})` : sql`1`;
    await this.handle.db.execute(sql`with ${sql.join(inserts, sql`, `)} select ${notify}`);
  }

  /** Waits until every line written so far is stored, or the store has failed. */
  async flush(): Promise<void> {
    while (this.flushing || this.scheduled || this.pending.length > 0) {
      if (!this.flushing && !this.scheduled) this.schedule();
      await this.idle;
    }
  }

  /**
   * Writes any unterminated last lines, notes what the cap dropped, and waits for everything to be
   * stored. After a store failure it tries once to leave a note right after the last stored line,
   * so the output does not just stop; `storeFailure` tells the caller to fail the run.
   */
  async close(): Promise<void> {
    this.assembler.end();
    if (this.truncated) {
      this.system(`${this.droppedLines} more lines (${formatBytes(this.droppedBytes)}) were printed after the cap and not stored`);
    }
    await this.flush();
    if (!this.failure && this.blockLines.length > 0) {
      // The last, shorter block; search reads lines past the blocks one by one, so a failure here costs speed, not matches.
      await this.insertWithRetries([], [this.takeBlock(this.seq)]).catch(() => undefined);
    }
    if (!this.failure) return;
    const note = `${this.storeFailure} (${this.lostLines} lines not stored; the run was stopped)`;
    const text = this.assembler.redact(note);
    const line = { seq: this.firstSeq + this.lines, stream: "system" as const, at: new Date().toISOString(), line: text, size: lineSize(text) };
    try {
      await this.insert([line], []);
      this.stored([line]);
    } catch {
      // The store is still refusing; the run's error message says what happened.
    }
  }

  sha256(): string {
    return this.digest.copy().digest("hex");
  }
}
