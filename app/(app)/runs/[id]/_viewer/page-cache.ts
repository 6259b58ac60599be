import type { OutputLine } from "@/lib/services/runs/read-output";
import type { OutputRange } from "@/lib/services/runs/read-output-range";

export const PAGE_LINES = 500;
/** Pages held at once: memory stays bounded however long the output is. */
export const MAX_PAGES = 24;
const MAX_IN_FLIGHT = 3;
const RETRY_MS = 2000;

export type FetchRange = (from: number, limit: number) => Promise<OutputRange>;

export const pageOf = (seq: number) => Math.floor((seq - 1) / PAGE_LINES);
const firstSeqOf = (page: number) => page * PAGE_LINES + 1;

/** The lines of PAGE_LINES consecutive seqs; the live stream may leave holes, which a fetch fills. */
type Page = Array<OutputLine | undefined>;

/**
 * Output lines held as pages, fetched on demand and evicted by distance from where the reader is.
 * Plain TypeScript; the viewer subscribes for changes.
 */
export class PageCache {
  private readonly pages = new Map<number, Page>();
  private readonly inFlight = new Set<number>();
  private readonly failedAt = new Map<number, number>();
  private readonly listeners = new Set<() => void>();
  private focus = 0;
  /** The page of the newest line the live stream brought: a follower reads it, so it is never evicted. */
  private newestLive = -1;
  version = 0;
  private rangeListener: (range: OutputRange) => void = () => undefined;

  constructor(private readonly fetchRange: FetchRange) {}

  /** Told about every range answer, e.g. to learn the newest lastSeq. */
  listenRanges = (listener: (range: OutputRange) => void): (() => void) => {
    this.rangeListener = listener;
    return () => {
      this.rangeListener = () => undefined;
    };
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  line(seq: number): OutputLine | undefined {
    return this.pages.get(pageOf(seq))?.[seq - firstSeqOf(pageOf(seq))];
  }

  get size(): number {
    return this.pages.size;
  }

  /** Fetches the pages that rows [firstSeq, lastSeq] (clipped to `total`) are missing from, nearest the middle first. */
  ensure(firstSeq: number, lastSeq: number, total: number): void {
    const last = Math.min(lastSeq, total);
    if (last < firstSeq) return;
    this.focus = pageOf(Math.floor((firstSeq + last) / 2));
    const wanted: number[] = [];
    for (let page = pageOf(Math.max(1, firstSeq)); page <= pageOf(last); page += 1) {
      const failed = this.failedAt.get(page);
      if (this.inFlight.has(page) || (failed !== undefined && Date.now() - failed < RETRY_MS)) continue;
      if (this.missing(page, Math.max(firstSeq, firstSeqOf(page)), Math.min(last, firstSeqOf(page + 1) - 1))) wanted.push(page);
    }
    wanted.sort((a, b) => Math.abs(a - this.focus) - Math.abs(b - this.focus));
    for (const page of wanted.slice(0, Math.max(0, MAX_IN_FLIGHT - this.inFlight.size))) void this.load(page);
  }

  /** Keeps a line from the live stream; call `flush` after a batch so subscribers render once. */
  appendLive(line: OutputLine): void {
    this.store(line);
    this.newestLive = Math.max(this.newestLive, pageOf(line.seq));
    this.evict();
  }

  flush(): void {
    this.changed();
  }

  /** Puts lines fetched elsewhere (the first page, read before the live stream opens). */
  put(lines: OutputLine[]): void {
    for (const line of lines) this.store(line);
    this.evict();
    this.changed();
  }

  private missing(page: number, from: number, to: number): boolean {
    const lines = this.pages.get(page);
    if (!lines) return true;
    for (let seq = from; seq <= to; seq += 1) if (!lines[seq - firstSeqOf(page)]) return true;
    return false;
  }

  private store(line: OutputLine): void {
    const page = pageOf(line.seq);
    let lines = this.pages.get(page);
    if (!lines) {
      lines = [];
      this.pages.set(page, lines);
    }
    lines[line.seq - firstSeqOf(page)] = line;
  }

  private async load(page: number): Promise<void> {
    this.inFlight.add(page);
    try {
      const range = await this.fetchRange(firstSeqOf(page), PAGE_LINES);
      for (const line of range.lines) this.store(line);
      // Fewer lines than the store says it has (output pruned meanwhile?): back off rather than ask again at once.
      if (range.lines.length < Math.min(PAGE_LINES, range.lastSeq - firstSeqOf(page) + 1)) this.failedAt.set(page, Date.now());
      else this.failedAt.delete(page);
      this.evict();
      this.rangeListener(range);
    } catch {
      this.failedAt.set(page, Date.now());
    } finally {
      this.inFlight.delete(page);
      this.changed();
    }
  }

  /**
   * Drops the pages farthest from where the reader was last seen. The focus moves only when the
   * viewer asks for rows, which it does at most every few frames: the live stream's newest pages
   * (what a follower is about to see) are kept regardless, or they would be dropped as they arrive.
   */
  private evict(): void {
    if (this.pages.size <= MAX_PAGES) return;
    const keptFrom = this.newestLive < 0 ? Number.POSITIVE_INFINITY : this.newestLive - 1;
    const evictable = [...this.pages.keys()].filter((page) => page < keptFrom);
    const byDistance = evictable.sort((a, b) => Math.abs(b - this.focus) - Math.abs(a - this.focus));
    for (const page of byDistance.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(page);
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}
