import { describe, expect, it } from "vitest";
import type { OutputFollower, OutputLine } from "../services/runs/read-output";
import { eventText, outputEventStream } from "./output-stream";

/** A follower over an in-memory store of `stored` lines; the run is always finished. */
function fakeFollower(stored: number, options: { appendOnFirstStatus?: number } = {}): OutputFollower {
  let count = stored;
  let statusReads = 0;
  const line = (seq: number): OutputLine => ({ seq, stream: "stdout", at: "2026-01-01T00:00:00.000Z", line: `line ${seq}` });
  return {
    read: async (after, limit) => Array.from({ length: Math.max(0, Math.min(limit, count - after)) }, (_, index) => line(after + index + 1)),
    lastSeq: async () => count,
    status: async () => {
      statusReads += 1;
      // The race the stream must survive: lines stored after its last read, then the final status.
      if (statusReads === 1 && options.appendOnFirstStatus) count += options.appendOnFirstStatus;
      return { status: "succeeded", exitCode: 0, finished: true, pageChanges: 0 };
    },
    waitForChange: async () => undefined,
    stillAllowed: async () => null,
    close: () => undefined,
  };
}

/**
 * A follower that also answers lines and state in one read, like the real one: a run that prints
 * `lines` lines, one per wake-up, then succeeds. Counts the separate status reads.
 */
function snapshotFollower(lines: number) {
  let stored = 0;
  const counts = { statusReads: 0, snapshotReads: 0 };
  const line = (seq: number): OutputLine => ({ seq, stream: "stdout", at: "2026-01-01T00:00:00.000Z", line: `line ${seq}` });
  const state = () => (stored < lines ? { status: "running" as const, exitCode: null, finished: false, pageChanges: 0 } : { status: "succeeded" as const, exitCode: 0, finished: true, pageChanges: 0 });
  const read = async (after: number, limit: number) => Array.from({ length: Math.max(0, Math.min(limit, stored - after)) }, (_, index) => line(after + index + 1));
  const follower: OutputFollower = {
    read,
    readWithState: async (after, limit) => {
      counts.snapshotReads += 1;
      return { lines: await read(after, limit), state: state() };
    },
    lastSeq: async () => stored,
    status: async () => {
      counts.statusReads += 1;
      return state();
    },
    waitForChange: async () => {
      stored = Math.min(lines, stored + 1);
    },
    stillAllowed: async () => null,
    close: () => undefined,
  };
  return { follower, counts };
}

async function eventsOf(stream: ReadableStream<Uint8Array>): Promise<Array<{ event: string; id?: string }>> {
  const text = await new Response(stream).text();
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = Object.fromEntries(block.split("\n").map((row) => [row.slice(0, row.indexOf(":")), row.slice(row.indexOf(":") + 2)]));
      return { event: fields.event ?? "", ...(fields.id ? { id: fields.id } : {}) };
    });
}

describe("output event stream", () => {
  it("sends every line, then the status and the end", async () => {
    const events = await eventsOf(outputEventStream(fakeFollower(1200), 0, new AbortController().signal));
    expect(events.filter((event) => event.event === "line")).toHaveLength(1200);
    expect(events.slice(-2).map((event) => event.event)).toEqual(["status", "end"]);
  });

  it("in tail mode sends only the newest lines it has not sent", async () => {
    const events = await eventsOf(outputEventStream(fakeFollower(100_000), 10, new AbortController().signal, { tail: 50 }));
    const ids = events.filter((event) => event.event === "line").map((event) => Number(event.id));
    expect(ids).toEqual(Array.from({ length: 50 }, (_, index) => 99_951 + index));
  });

  it("sends lines stored between its last read and the final status before the end", async () => {
    const events = await eventsOf(outputEventStream(fakeFollower(3, { appendOnFirstStatus: 2 }), 0, new AbortController().signal));
    expect(events.map((event) => event.id ?? event.event)).toEqual(["1", "2", "3", "status", "4", "5", "end"]);
  });

  it("reads lines and status together when the follower can, and ends without a separate status read", async () => {
    const { follower, counts } = snapshotFollower(3);
    const events = await eventsOf(outputEventStream(follower, 0, new AbortController().signal));
    expect(events.map((event) => event.id ?? event.event)).toEqual(["status", "1", "2", "3", "status", "end"]);
    expect(counts.statusReads).toBe(0);
    // running (no lines), then per line: the line, an empty read; the last read sees the final status.
    expect(counts.snapshotReads).toBe(1 + 3 * 2);
  });

  it("still asks the status separately in tail mode", async () => {
    const { follower, counts } = snapshotFollower(2);
    const events = await eventsOf(outputEventStream(follower, 0, new AbortController().signal, { tail: 10 }));
    expect(events.filter((event) => event.event === "line").map((event) => event.id)).toEqual(["1", "2"]);
    expect(events.slice(-2).map((event) => event.event)).toEqual(["status", "end"]);
    expect(counts.snapshotReads).toBe(0);
    expect(counts.statusReads).toBeGreaterThan(0);
  });

  it("ends with an error event once its reader may no longer read, and asks only every so often", async () => {
    const { follower } = snapshotFollower(1_000_000);
    let asked = 0;
    const revokedAt = Date.now() + 60;
    follower.stillAllowed = async () => {
      asked += 1;
      return Date.now() >= revokedAt ? "the session or token this stream was opened with is no longer valid" : null;
    };
    const stream = outputEventStream(follower, 0, new AbortController().signal, { recheckMs: 20 });
    const text = await new Response(stream).text();
    const blocks = text.split("\n\n").filter((block) => block.trim() !== "");
    expect(blocks.at(-1)).toBe('event: error\ndata: {"error":"the session or token this stream was opened with is no longer valid"}');
    expect(blocks.some((block) => block.startsWith("event: end"))).toBe(false);
    // Not on every batch: a few times in the ~60 ms it ran, while it sent many lines.
    expect(asked).toBeGreaterThan(1);
    expect(asked).toBeLessThan(blocks.length / 2);
  });

  it("opens with the caller's events and state, then waits for a change before it reads the store", async () => {
    const { follower, counts } = snapshotFollower(2);
    const waits: number[] = [];
    const wait = follower.waitForChange;
    follower.waitForChange = async (timeoutMs) => {
      waits.push(timeoutMs);
      await wait(timeoutMs);
    };
    const opening = eventText("run", { id: 7 });
    const stream = outputEventStream(follower, 0, new AbortController().signal, { opening, knownState: { status: "running", exitCode: null, finished: false, pageChanges: 0 } });
    const events = await eventsOf(stream);
    expect(events.map((event) => event.id ?? event.event)).toEqual(["run", "status", "1", "2", "status", "end"]);
    // No read before the first wait: the state it opened with is the caller's.
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(counts.snapshotReads).toBe(2 * 2);
  });
});
