import type { OutputFollower, OutputLine } from "../services/runs/read-output";

const BATCH = 500;
const WAIT_MS = 5000;
const KEEPALIVE_MS = 15_000;

const encoder = new TextEncoder();

function lineEvent(line: OutputLine): string {
  return `id: ${line.seq}\nevent: line\ndata: ${JSON.stringify(line)}\n\n`;
}

/**
 * Server-Sent Events over the persisted output. Pull-based, so a slow reader applies back-pressure
 * instead of growing a buffer: the store is read only when the client has taken the previous batch.
 */
export function outputEventStream(follower: OutputFollower, afterSeq: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  let lastSeq = afterSeq;
  let lastStatus: string | undefined;
  let lastSentAt = Date.now();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    follower.close();
  };
  signal.addEventListener("abort", close, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const send = (text: string) => {
          controller.enqueue(encoder.encode(text));
          lastSentAt = Date.now();
        };
        while (!closed) {
          const lines = await follower.read(lastSeq, BATCH);
          if (lines.length > 0) {
            send(lines.map(lineEvent).join(""));
            lastSeq = lines.at(-1)?.seq ?? lastSeq;
            return;
          }
          const state = await follower.status();
          if (state.status !== lastStatus) {
            lastStatus = state.status;
            send(`event: status\ndata: ${JSON.stringify(state)}\n\n`);
          }
          if (state.finished) {
            // The worker stores every line before it records the final status, so nothing follows.
            send(`event: end\ndata: ${JSON.stringify(state)}\n\n`);
            controller.close();
            close();
            return;
          }
          await follower.waitForChange(WAIT_MS);
          if (Date.now() - lastSentAt >= KEEPALIVE_MS) {
            send(": keepalive\n\n");
            return;
          }
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}

/** The whole output as plain text, in order, read from the store in pages. */
export function outputTextStream(follower: OutputFollower): ReadableStream<Uint8Array> {
  let lastSeq = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const lines = await follower.read(lastSeq, 5000);
      if (lines.length === 0) {
        controller.close();
        follower.close();
        return;
      }
      lastSeq = lines.at(-1)?.seq ?? lastSeq;
      const text = lines.map((line) => (line.stream === "system" ? `[handrail] ${line.line}\n` : `${line.line}\n`)).join("");
      controller.enqueue(encoder.encode(text));
    },
    cancel: () => follower.close(),
  });
}
