"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { OutputSearchResult } from "@/lib/services/runs/search-output";

const PAGE = 200;
const DEBOUNCE_MS = 300;

export interface SearchState {
  /** The query the matches are for (the box may already hold a newer one). */
  query: string;
  /** Seqs of the matches found so far, in order. */
  matches: number[];
  /** Where the server would continue; null once it has searched to the end. */
  nextAfter: number | null;
  /** The highest seq searched so far. */
  scanned: number;
  /** Position of the current match in `matches`, -1 for none. */
  index: number;
  busy: boolean;
  error: string | null;
}

const idle: SearchState = { query: "", matches: [], nextAfter: null, scanned: 0, index: -1, busy: false, error: null };

async function fetchMatches(runId: number, q: string, after: number, signal: AbortSignal): Promise<OutputSearchResult> {
  const params = new URLSearchParams({ q, after: String(after), limit: String(PAGE) });
  const response = await fetch(`/api/v1/runs/${runId}/search?${params}`, { cache: "no-store", signal });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${response.status}`);
  return (await response.json()) as OutputSearchResult;
}

/**
 * Server-side search through the output. Matches are fetched a page at a time as the reader steps
 * through them, so a term in a million lines costs one bounded request per page, not a scan of all.
 */
export function useOutputSearch(runId: number, jumpTo: (seq: number) => void) {
  const [input, setInput] = useState("");
  const [state, setState] = useState<SearchState>(idle);
  // Read by the callbacks below, which run after renders and must see the latest values.
  const latest = useRef({ state, input, jumpTo });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    latest.current = { state, input, jumpTo };
  });

  const show = useCallback((next: SearchState) => {
    latest.current.state = next;
    setState(next);
    const seq = next.matches[next.index];
    if (seq !== undefined) latest.current.jumpTo(seq);
  }, []);

  /** Searches from the start (a new query) or on from where the last page stopped. */
  const search = useCallback(
    async (q: string, extend: boolean) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const from = extend ? latest.current.state : { ...idle, query: q };
      const progress = (scanned: number) => {
        latest.current.state = { ...from, scanned, busy: true, error: null };
        setState(latest.current.state);
      };
      progress(from.scanned);
      try {
        let cursor = extend ? (from.nextAfter ?? 0) : 0;
        for (;;) {
          const page = await fetchMatches(runId, q, cursor, abort.signal);
          const scanned = page.nextAfter ?? page.lastSeq;
          if (page.matches.length > 0 || page.nextAfter === null) {
            const matches = from.matches.concat(page.matches.map((match) => match.seq));
            const index = page.matches.length > 0 ? from.matches.length : from.index;
            show({ query: q, matches, nextAfter: page.nextAfter, scanned, index, busy: false, error: null });
            return;
          }
          cursor = page.nextAfter;
          progress(scanned);
        }
      } catch (caught) {
        if (abort.signal.aborted) return;
        setState((current) => ({ ...current, busy: false, error: caught instanceof Error ? caught.message : String(caught) }));
      }
    },
    [runId, show],
  );

  useEffect(() => {
    if (!input) {
      controller.current?.abort();
      latest.current.state = idle;
      setState(idle);
      return;
    }
    const timer = setTimeout(() => void search(input, false), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input, search]);

  const step = useCallback(
    (direction: 1 | -1) => {
      const { state: current, input: typed } = latest.current;
      if (!typed) return;
      if (current.query !== typed) return void search(typed, false);
      if (current.busy) return;
      const target = current.index + direction;
      if (target >= 0 && target < current.matches.length) return show({ ...current, index: target });
      if (direction === 1 && current.nextAfter !== null) return void search(current.query, true);
      if (current.matches.length === 0) return;
      // Wrap around like find-in-page; backwards only once every match is known.
      const wrapped = direction === 1 ? 0 : current.nextAfter === null ? current.matches.length - 1 : current.index;
      show({ ...current, index: wrapped });
    },
    [search, show],
  );

  return {
    input,
    setInput,
    state,
    current: state.index >= 0 ? state.matches[state.index] : undefined,
    next: useCallback(() => step(1), [step]),
    previous: useCallback(() => step(-1), [step]),
  };
}
