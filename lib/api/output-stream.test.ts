import { describe, expect, it } from "vitest";
import type { OutputFollower, OutputLine } from "../services/runs/read-output";
import { outputEventStream } from "./output-stream";

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
      return { status: "succeeded", exitCode: 0, finished: true };
    },
    waitForChange: async () => undefined,
    close: () => undefined,
  };
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
});
