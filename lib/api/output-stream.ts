import type { OutputFollower, OutputLine, RunState } from "../services/runs/read-output";

const BATCH = 500;
const WAIT_MS = 5000;
const KEEPALIVE_MS = 15_000;
/** In tail mode, the least time between two batches: a viewer redraws no faster, and the browser keeps up. */
const TAIL_INTERVAL_MS = 100;
/** How often an open stream asks again whether its reader may still read (plus at most WAIT_MS): within 30 s. */
const RECHECK_MS = 25_000;

const encoder = new TextEncoder();

function lineEvent(line: OutputLine): string {
  return `id: ${line.seq}\nevent: line\ndata: ${JSON.stringify(line)}\n\n`;
}

export interface EventStreamOptions {
  /**
   * Send at most the newest `tail` stored lines per batch, skipping older unsent ones, at most
   * every TAIL_INTERVAL_MS: for a viewer that shows the end of a fast run and fetches the rest by
   * range. Without it every line is sent.
   */
  tail?: number;
  /** Override of RECHECK_MS, for tests. */
  recheckMs?: number;
  /** Events sent before any line, such as the run a request-and-follow just created. */
  opening?: string;
  /**
   * The run's state as the caller just committed it: sent as the first status, and the first read
   * of the store waits for a change (at most KNOWN_STATE_WAIT_MS, in case one came before the
   * follower listened), so a run just started is not read back while its process is spawning.
   */
  knownState?: RunState;
  /** Who reads the stream, listed as watching the run while it is open: refreshed now and then, and left when it closes. */
  presence?: { refresh: () => Promise<void>; leave: () => Promise<void>; refreshMs: number };
}

const KNOWN_STATE_WAIT_MS = 100;
const FIRST_PRESENCE_AFTER_MS = 1000;

/** The response headers of every Server-Sent Events stream. */
export const EVENT_STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

/** One event without an id. */
export function eventText(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A stream of the given events only, then closed. */
export function eventsOnlyStream(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(text));
      controller.close();
    },
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Server-Sent Events over the persisted output. Pull-based, so a slow reader applies back-pressure
 * instead of growing a buffer: the store is read only when the client has taken the previous batch.
 */
export function outputEventStream(follower: OutputFollower, afterSeq: number, signal: AbortSignal, options: EventStreamOptions = {}): ReadableStream<Uint8Array> {
  let lastSeq = afterSeq;
  let lastBatchAt = 0;
  // A status event goes out when the run's status changed, or anything else its page shows (pageChanges).
  let lastState: string | undefined;
  const stateKey = (state: RunState) => `${state.status}:${state.pageChanges}`;
  let knownState = options.knownState;
  let lastSentAt = Date.now();
  let lastCheckedAt = Date.now();
  const recheckMs = options.recheckMs ?? RECHECK_MS;
  let closed = false;
  let sentThisTurn = false;
  const { presence } = options;
  // The first time a second after opening: a stream opened as its run starts must not add a write to that start.
  let presentAt = presence ? Date.now() - presence.refreshMs + FIRST_PRESENCE_AFTER_MS : 0;
  const keepPresent = async () => {
    if (!presence || Date.now() - presentAt < presence.refreshMs) return;
    presentAt = Date.now();
    await presence.refresh().catch(() => undefined);
  };
  const close = () => {
    if (closed) return;
    closed = true;
    follower.close();
    if (presence) void presence.leave().catch(() => undefined);
  };
  signal.addEventListener("abort", close, { once: true });
  const readTail = async (tail: number) => {
    await delay(lastBatchAt + TAIL_INTERVAL_MS - Date.now());
    const newest = await follower.lastSeq();
    return newest > lastSeq ? follower.read(Math.max(lastSeq, newest - tail), tail) : [];
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (options.opening) controller.enqueue(encoder.encode(options.opening));
      },
      async pull(controller) {
        // A chunk sent in this turn of the event loop goes to the socket on Node's next tick, which
        // waits until the promise jobs run out; on the embedded database a read runs to its end as
        // such jobs and would hold that chunk back. The next turn lets it go first.
        if (sentThisTurn) await nextTurn();
        const send = (text: string) => {
          if (!sentThisTurn) {
            sentThisTurn = true;
            setImmediate(() => (sentThisTurn = false));
          }
          controller.enqueue(encoder.encode(text));
          lastSentAt = Date.now();
        };
        /** Sends the next batch of lines, if there is one; with the run's state when one query gave both. */
        const sendLines = async (): Promise<{ sent: boolean; state?: RunState }> => {
          let lines: OutputLine[];
          let state: RunState | undefined;
          if (options.tail) lines = await readTail(options.tail);
          else if (follower.readWithState) ({ lines, state } = await follower.readWithState(lastSeq, BATCH));
          else lines = await follower.read(lastSeq, BATCH);
          if (closed || lines.length === 0) return { sent: false, ...(state ? { state } : {}) };
          send(lines.map(lineEvent).join(""));
          lastSeq = lines.at(-1)?.seq ?? lastSeq;
          lastBatchAt = Date.now();
          return { sent: true };
        };
        /** A reader whose token was revoked, session ended or access withdrawn is told why, and the stream ends. */
        const accessGone = async (): Promise<boolean> => {
          if (Date.now() - lastCheckedAt < recheckMs) return false;
          lastCheckedAt = Date.now();
          const refusal = await follower.stillAllowed();
          if (!refusal || closed) return false;
          send(eventText("error", { error: refusal }));
          controller.close();
          close();
          return true;
        };
        if (knownState) {
          lastState = stateKey(knownState);
          send(eventText("status", knownState));
          if (!knownState.finished) await follower.waitForChange(KNOWN_STATE_WAIT_MS);
          knownState = undefined;
          return;
        }
        while (!closed) {
          if (await accessGone()) return;
          const batch = await sendLines();
          const sendState = (state: RunState) => {
            if (stateKey(state) === lastState) return;
            lastState = stateKey(state);
            send(eventText("status", state));
          };
          if (batch.sent || closed) {
            // A step may start while lines flow: say so with them, when they came with the state.
            if (batch.state && !batch.state.finished && !closed) sendState(batch.state);
            return;
          }
          // Read with the lines, the state is from the same snapshot: a final one means nothing is left.
          const state = batch.state ?? (await follower.status());
          if (closed) return;
          sendState(state);
          if (state.finished) {
            // The worker stores every line before it records the final status, but lines stored
            // between a separate read and that status are not sent yet: read once more.
            if (!batch.state && (await sendLines()).sent) return;
            send(eventText("end", state));
            controller.close();
            close();
            return;
          }
          // Idle: say the reader is still here (never on the way to a run's first lines).
          await keepPresent();
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
export function outputTextStream(follower: OutputFollower, afterSeq = 0): ReadableStream<Uint8Array> {
  let lastSeq = afterSeq;
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
