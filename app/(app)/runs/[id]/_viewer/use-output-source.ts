"use client";

import { useEffect, useRef, useState } from "react";
import type { OutputLine } from "@/lib/services/runs/read-output";
import type { OutputRange } from "@/lib/services/runs/read-output-range";
import { isActiveStatus } from "@/lib/run-statuses";
import { PAGE_LINES, PageCache } from "./page-cache";

/** Lines the live stream sends per batch at most: more than a screenful, far less than a fast run prints. */
const LIVE_TAIL = 200;
/** Live lines arriving within this long of each other are drawn in one render. */
const LIVE_FLUSH_MS = 50;

export type Connection = "loading" | "live" | "reconnecting" | "ended";

export interface OutputSource {
  cache: PageCache;
  /** The highest seq known: the stored line count so far. */
  total: number;
  connection: Connection;
  /** Whether the first range has answered (until then `total` means nothing). */
  loaded: boolean;
  error: string | null;
}

interface Handlers {
  /** The run's status changed: refetch the run. */
  onStatus: () => void;
  /** The run has finished and every line has been seen. */
  onEnd: () => void;
}

async function fetchRange(runId: number, from: number, limit: number): Promise<OutputRange> {
  const response = await fetch(`/api/v1/runs/${runId}/lines?from=${from}&limit=${limit}`, { cache: "no-store" });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${response.status}`);
  return (await response.json()) as OutputRange;
}

/**
 * The run's output as a page cache plus a count: the first page and the line count come from the
 * range endpoint; while the run is active, the live stream (opened after that count, in tail mode
 * so a run printing thousands of lines a second sends only the newest few) advances the count and
 * fills the end. Everything else is fetched by range when scrolled to.
 */
export function useOutputSource(runId: number, pruned: boolean, initiallyActive: boolean, handlers: Handlers): OutputSource {
  // As the page was first rendered: a later render (after the run ends) must not reopen the source.
  const [activeAtStart] = useState(initiallyActive);
  const [total, setTotal] = useState(0);
  // Pruned output has nothing to load or follow: the page says so from the start.
  const [connection, setConnection] = useState<Connection>(pruned ? "ended" : "loading");
  const [loaded, setLoaded] = useState(pruned);
  const [error, setError] = useState<string | null>(null);
  // While the stream is live it alone advances the count: ranges answered meanwhile would move the
  // end ahead of the lines the stream has delivered, and a follower would chase it.
  const live = useRef(false);
  const [cache] = useState(() => new PageCache((from, limit) => fetchRange(runId, from, limit)));
  useEffect(
    () =>
      cache.listenRanges((range) => {
        if (!live.current) setTotal((count) => Math.max(count, range.lastSeq));
      }),
    [cache],
  );
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(() => {
    if (pruned) return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    let maxSeq = 0;
    let shown = false;
    // Flushed on a timer rather than an animation frame: frames stop in a background tab, timers only slow down.
    const flush = () => {
      timer = undefined;
      cache.flush();
      setTotal((count) => Math.max(count, maxSeq));
      setLoaded(true);
    };
    const open = (after: number) => {
      live.current = true;
      source = new EventSource(`/api/v1/runs/${runId}/stream?after=${after}&tail=${LIVE_TAIL}`);
      source.addEventListener("line", (event) => {
        const line = JSON.parse((event as MessageEvent<string>).data) as OutputLine;
        maxSeq = Math.max(maxSeq, line.seq);
        cache.appendLive(line);
        // The first lines show at once; after that, lines arriving together are drawn together.
        timer ??= setTimeout(flush, shown ? LIVE_FLUSH_MS : 0);
        shown = true;
      });
      source.addEventListener("status", () => handlersRef.current.onStatus());
      source.addEventListener("end", () => {
        source?.close();
        live.current = false;
        setConnection("ended");
        handlersRef.current.onEnd();
      });
      source.onopen = () => setConnection((state) => (state === "ended" ? state : "live"));
      source.onerror = () => setConnection((state) => (state === "ended" ? state : "reconnecting"));
    };
    // A running run's stream opens at once, in tail mode from the start: its first batch is the
    // newest lines, so a follower sees the end while the first page (for the top) is still loading
    // from a database busy storing a flood.
    if (activeAtStart) open(0);
    fetchRange(runId, 1, PAGE_LINES).then(
      (first) => {
        if (cancelled) return;
        cache.put(first.lines);
        if (!live.current) setTotal((count) => Math.max(count, first.lastSeq));
        setLoaded(true);
        if (activeAtStart) return;
        if (isActiveStatus(first.status)) {
          maxSeq = first.lastSeq;
          open(first.lastSeq);
        } else {
          setConnection("ended");
          handlersRef.current.onEnd();
        }
      },
      (caught: unknown) => {
        if (cancelled) return;
        setError(caught instanceof Error ? caught.message : String(caught));
        setLoaded(true);
        setConnection("ended");
      },
    );
    return () => {
      cancelled = true;
      live.current = false;
      source?.close();
      if (timer) clearTimeout(timer);
    };
  }, [runId, pruned, activeAtStart, cache]);

  return { cache, total, connection, loaded, error };
}
