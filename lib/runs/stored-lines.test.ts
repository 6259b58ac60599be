import { describe, expect, it } from "vitest";
import { AnnouncedLines, announceStoredLines, onStoredLines, type OutputLine } from "./stored-lines";

const line = (seq: number): OutputLine => ({ seq, stream: "stdout", at: "2026-01-01T00:00:00.000Z", line: `line ${seq}` });
const seqs = (lines: readonly OutputLine[]) => lines.map((held) => held.seq);

describe("lines handed over in memory", () => {
  it("are given only when they go on exactly where the reader is", () => {
    const held = new AnnouncedLines();
    held.add([line(3), line(4)]);
    // The reader has only line 1: line 2 is in the store alone, so it must read the store.
    expect(held.take(1, 100)).toEqual([]);
    expect(seqs(held.take(2, 100))).toEqual([3, 4]);
    expect(held.take(4, 100)).toEqual([]);
  });

  it("drop what the reader already has and keep the rest for the next take", () => {
    const held = new AnnouncedLines();
    held.add([1, 2, 3, 4, 5].map(line));
    expect(seqs(held.take(2, 2))).toEqual([3, 4]);
    expect(seqs(held.take(4, 10))).toEqual([5]);
  });

  it("hold a bounded number of lines, so a slow reader goes back to the store", () => {
    const held = new AnnouncedLines();
    held.add(Array.from({ length: 5000 }, (_, index) => line(index + 1)));
    expect(held.take(0, 10)).toEqual([]);
    expect(seqs(held.take(3000, 2))).toEqual([3001, 3002]);
  });

  it("reach only the followers of that run", () => {
    const got: number[][] = [];
    const stop = onStoredLines(41, (lines) => got.push(seqs(lines)));
    announceStoredLines(42, [line(1)]);
    announceStoredLines(41, [line(7)]);
    stop();
    announceStoredLines(41, [line(8)]);
    expect(got).toEqual([[7]]);
  });
});
