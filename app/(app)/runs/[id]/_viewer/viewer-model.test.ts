import { describe, expect, it } from "vitest";
import type { OutputLine } from "@/lib/services/runs/read-output";
import type { OutputRange } from "@/lib/services/runs/read-output-range";
import { ansiSegments, markMatches } from "./ansi";
import { MAX_PAGES, PAGE_LINES, PageCache } from "./page-cache";
import { MAX_SCROLL_PX, geometry, rowTop, rowWindow, scrollTopFor } from "./row-window";

const line = (seq: number): OutputLine => ({ seq, stream: "stdout", at: "2026-01-01T00:00:00.000Z", line: `line ${seq}` });

function fakeServer(lastSeq: number) {
  const requests: number[] = [];
  const fetchRange = async (from: number, limit: number): Promise<OutputRange> => {
    requests.push(from);
    const lines = [];
    for (let seq = from; seq < from + limit && seq <= lastSeq; seq += 1) lines.push(line(seq));
    return { lines, lastSeq, status: "succeeded", outputPrunedAt: null };
  };
  return { requests, fetchRange };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("row window", () => {
  it("maps scroll positions to rows one to one below the height cap", () => {
    const view = rowWindow(1000, 20, 400, 2000, 5);
    expect(view).toMatchObject({ ratio: 1, real: 20_000, offset: 2000, start: 95, end: 125, firstVisible: 100 });
    expect(rowTop(100, 20, 2000, view)).toBe(2000);
    expect(scrollTopFor(100, "start", 1000, 20, 400)).toBe(2000);
    expect(scrollTopFor(999, "start", 1000, 20, 400)).toBe(20_000 - 400);
  });

  it("compresses the scroll range of a very long output and still reaches both ends", () => {
    const count = 2_000_000;
    const shape = geometry(count, 20, 600);
    expect(shape.real).toBe(MAX_SCROLL_PX);
    expect(shape.ratio).toBeGreaterThan(4);
    const bottom = rowWindow(count, 20, 600, shape.real - 600, 0);
    expect(bottom.end).toBe(count);
    expect(rowTop(count - 1, 20, shape.real - 600, bottom)).toBe(shape.real - 20);
    const middle = scrollTopFor(1_234_567, "start", count, 20, 600);
    expect(rowWindow(count, 20, 600, middle, 0).firstVisible).toBe(1_234_567);
  });
});

describe("page cache", () => {
  it("fetches the pages a window needs once, nearest first, and keeps at most MAX_PAGES", async () => {
    const server = fakeServer(1_000_000);
    const cache = new PageCache(server.fetchRange);
    cache.ensure(600_001, 600_040, 1_000_000);
    cache.ensure(600_001, 600_040, 1_000_000);
    await settle();
    expect(server.requests).toEqual([600_001]);
    expect(cache.line(600_020)?.line).toBe("line 600020");
    for (let page = 0; page < MAX_PAGES * 2; page += 1) {
      cache.ensure(page * PAGE_LINES + 1, page * PAGE_LINES + 10, 1_000_000);
      await settle();
    }
    expect(cache.size).toBe(MAX_PAGES);
    expect(cache.line(600_020)).toBeUndefined();
    expect(cache.line(MAX_PAGES * 2 * PAGE_LINES - 495)?.seq).toBe(MAX_PAGES * 2 * PAGE_LINES - 495);
  });

  it("keeps live lines, holes and all, and fetches only what the rows in view miss", async () => {
    const server = fakeServer(PAGE_LINES + 3);
    const cache = new PageCache(server.fetchRange);
    cache.ensure(1, 20, PAGE_LINES - 2);
    await settle();
    // The live stream in tail mode skips ahead: seqs 499..503 arrive, 1..498 came from the fetch above.
    for (let seq = PAGE_LINES - 1; seq <= PAGE_LINES + 3; seq += 1) cache.appendLive(line(seq));
    cache.appendLive(line(PAGE_LINES * 7 + 2));
    expect(cache.line(PAGE_LINES + 3)?.seq).toBe(PAGE_LINES + 3);
    expect(cache.line(PAGE_LINES * 7 + 2)?.seq).toBe(PAGE_LINES * 7 + 2);
    cache.ensure(PAGE_LINES - 30, PAGE_LINES + 3, PAGE_LINES + 3);
    await settle();
    expect(server.requests).toEqual([1]);
    cache.ensure(PAGE_LINES * 7 - 10, PAGE_LINES * 7 + 2, PAGE_LINES * 8);
    await settle();
    expect(server.requests).toEqual([1, PAGE_LINES * 6 + 1, PAGE_LINES * 7 + 1]);
  });
});

describe("ANSI rendering", () => {
  it("turns SGR codes into classes and styles and drops other escape codes", () => {
    expect(ansiSegments("plain")).toEqual([{ text: "plain", className: "", style: undefined }]);
    const segments = ansiSegments("a\u001b[1;31mred\u001b[0m \u001b[38;5;208mo\u001b[0m\u001b[K\u001b[38;2;1;2;3mt\u001b[0m");
    expect(segments.map((segment) => [segment.text, segment.className, segment.style])).toEqual([
      ["a", "", undefined],
      ["red", "ansi-bold ansi-red-fg", undefined],
      [" ", "", undefined],
      ["o", "", { color: "rgb(255, 135, 0)" }],
      ["t", "", { color: "rgb(1, 2, 3)" }],
    ]);
  });

  it("marks case-insensitive matches in the text as shown, also across a colour change", () => {
    const plain = (text: string) => [{ text, className: "", style: undefined }];
    expect(markMatches(plain("Error: an error"), "ERROR").map((piece) => [piece.text, piece.match])).toEqual([
      ["Error", true],
      [": an ", false],
      ["error", true],
    ]);
    expect(markMatches(plain("x"), "")).toEqual([{ text: "x", className: "", style: undefined, match: false }]);
    const coloured = markMatches(ansiSegments("\u001b[1;31mERROR:\u001b[0m disk full"), "error: disk");
    expect(coloured.map((piece) => [piece.text, piece.className, piece.match])).toEqual([
      ["ERROR:", "ansi-bold ansi-red-fg", true],
      [" disk", "", true],
      [" full", "", false],
    ]);
  });

  it("never drops the live stream's newest lines, however far behind the reader was last seen", async () => {
    const server = fakeServer(PAGE_LINES * (MAX_PAGES + 10));
    const cache = new PageCache(server.fetchRange);
    cache.ensure(1, 40, PAGE_LINES * (MAX_PAGES + 10));
    await settle();
    // A follower's view moves with the stream; the focus catches up only at the next ensure.
    for (let page = 1; page < MAX_PAGES + 10; page += 1) {
      for (let seq = page * PAGE_LINES + 1; seq <= (page + 1) * PAGE_LINES; seq += 100) cache.appendLive(line(seq));
      const newest = (page + 1) * PAGE_LINES - 99;
      expect(cache.line(newest)?.seq).toBe(newest);
    }
    expect(cache.size).toBeLessThanOrEqual(MAX_PAGES);
  });
});
