import { EventEmitter } from "node:events";
import type { OutputStream } from "../db/schema";

/** One stored line of a run's output, as viewers get it. */
export interface OutputLine {
  seq: number;
  stream: OutputStream;
  at: string;
  line: string;
}

// On globalThis: Next.js bundles the worker's boot and each route separately, each with its own module state.
const registry = globalThis as { handrailStoredLines?: EventEmitter };

function bus(): EventEmitter {
  if (!registry.handrailStoredLines) {
    registry.handrailStoredLines = new EventEmitter();
    registry.handrailStoredLines.setMaxListeners(0);
  }
  return registry.handrailStoredLines;
}

/**
 * Tells followers in this process about lines that were just committed, so a viewer of a run this
 * process runs gets them without waiting for the database's notification and reading them back.
 * Followers in other processes still learn of them by the notification.
 */
export function announceStoredLines(runId: number, lines: readonly OutputLine[]): void {
  bus().emit(String(runId), lines);
}

/** Whether anyone in this process follows the run: a flood nobody watches here is not copied for nobody. */
export function followedHere(runId: number): boolean {
  return bus().listenerCount(String(runId)) > 0;
}

export function onStoredLines(runId: number, listener: (lines: readonly OutputLine[]) => void): () => void {
  const channel = String(runId);
  bus().on(channel, listener);
  return () => bus().off(channel, listener);
}

/** Most lines a follower holds in memory; past it, it reads the store as it would without them. */
const MAX_HELD_LINES = 2000;

/**
 * Lines announced to one follower and not yet taken. `take` answers only when the held lines go on
 * exactly where the reader is; otherwise (the follower started late, or fell behind) the reader
 * goes to the store.
 */
export class AnnouncedLines {
  private held: OutputLine[] = [];

  add(lines: readonly OutputLine[]): void {
    this.held.push(...lines);
    if (this.held.length > MAX_HELD_LINES) this.held = this.held.slice(-MAX_HELD_LINES);
  }

  take(afterSeq: number, limit: number): OutputLine[] {
    const firstNew = this.held.findIndex((line) => line.seq > afterSeq);
    if (firstNew === -1) {
      this.held = [];
      return [];
    }
    if (firstNew > 0) this.held = this.held.slice(firstNew);
    if (this.held[0]?.seq !== afterSeq + 1) return [];
    return this.held.splice(0, limit);
  }
}
