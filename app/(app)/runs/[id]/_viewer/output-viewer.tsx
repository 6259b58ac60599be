"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent } from "react";
import type { RunDto } from "@/lib/services/runs/run-dto";
import "./output-viewer.css";
import { formatTime } from "../../../../components/format";
import { OutputRow } from "./output-row";
import { OutputToolbar } from "./output-toolbar";
import { rowTop } from "./row-window";
import { SearchBox } from "./search-box";
import type { OutputSource } from "./use-output-source";
import { useOutputSearch } from "./use-output-search";
import { useRowWindow } from "./use-row-window";
import { useTimestamps } from "./use-timestamps";

const ROW_HEIGHT = 20;
const OVERSCAN = 12;
/** Pages are requested at most this often, for where the window is then: a fast scroll skips most of what it passes. */
const FETCH_DELAY_MS = 60;

function emptyMessage(run: RunDto, source: OutputSource, active: boolean): string {
  if (source.error) return `could not load the output: ${source.error}`;
  if (!source.loaded) return "loading output…";
  return active ? "waiting for output…" : "no output";
}

/**
 * The run's output as a virtual list: only the rows in view exist in the DOM and only the pages
 * around them are held, so a million lines scroll like a hundred.
 */
export function OutputViewer({ run, source, active, jump }: { run: RunDto; source: OutputSource; active: boolean; jump?: { seq: number; count: number } | null }) {
  const { cache, total, loaded } = source;
  useSyncExternalStore(cache.subscribe, cache.getVersion, cache.getVersion);
  const { window: view, scrollToIndex, scrollToEnd, scrollTo, viewport, scrollTop, ref: outputRef, onScroll: onRowsScroll, atEnd: rowsAtEnd } = useRowWindow(total, ROW_HEIGHT, OVERSCAN);
  const [follow, setFollow] = useState(active);
  const [timestamps, setTimestamps] = useTimestamps();
  const searchInput = useRef<HTMLInputElement>(null);
  const pruned = run.output.prunedAt !== null;

  const jumpTo = useCallback(
    (seq: number) => {
      setFollow(false);
      scrollToIndex(seq - 1, "center");
    },
    [scrollToIndex],
  );
  const search = useOutputSearch(run.id, jumpTo);

  const [seenJump, setSeenJump] = useState(jump);
  if (jump !== seenJump) {
    setSeenJump(jump);
    if (jump) setFollow(false);
  }
  const panel = useRef<HTMLElement>(null);
  const handledJump = useRef(0);
  useEffect(() => {
    // Once per press: new lines make a new scrollToIndex, which must not jump back again.
    if (!jump || jump.count === handledJump.current) return;
    handledJump.current = jump.count;
    panel.current?.scrollIntoView({ block: "start", behavior: "smooth" });
    scrollToIndex(jump.seq - 1, "start");
  }, [jump, scrollToIndex]);

  useLayoutEffect(() => {
    if (follow && total > 0) scrollToEnd();
  }, [follow, total, viewport, scrollToEnd]);

  // A failed run is read from its end, where the error is; anything else from the top.
  const placed = useRef(false);
  useEffect(() => {
    if (placed.current || !loaded || total === 0) return;
    placed.current = true;
    if (!active && run.status !== "succeeded") scrollToEnd();
  }, [loaded, total, active, run.status, scrollToEnd]);

  // Throttled, not debounced: a steady stream of new lines must not postpone fetching forever.
  const wanted = useRef({ first: 1, last: 0, total: 0 });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    wanted.current = { first: view.start + 1, last: view.end, total };
    if (!loaded || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      cache.ensure(wanted.current.first, wanted.current.last, wanted.current.total);
    }, FETCH_DELAY_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  function onScroll() {
    if (!onRowsScroll()) return;
    const atEnd = rowsAtEnd(ROW_HEIGHT * 2);
    if (follow && !atEnd) setFollow(false);
    else if (!follow && atEnd && active) setFollow(true);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const find = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "f";
    const slash = event.key === "/" && event.target === outputRef.current;
    if ((find || slash) && searchInput.current) {
      // The browser's find cannot see rows that are not rendered: search the server instead.
      event.preventDefault();
      searchInput.current.focus();
      searchInput.current.select();
    }
  }

  const navigable = loaded && !pruned && total > 0;
  const rendered = [];
  for (let index = view.start; index < view.end; index += 1) {
    const seq = index + 1;
    rendered.push(
      <OutputRow
        key={seq}
        seq={seq}
        line={cache.line(seq)}
        top={rowTop(index, ROW_HEIGHT, scrollTop, view)}
        query={search.state.query}
        current={seq === search.current || seq === jump?.seq}
        timestamps={timestamps}
      />,
    );
  }
  const style = { "--digits": String(Math.max(3, String(total).length)) } as CSSProperties;

  return (
    <section ref={panel} className="output-panel" aria-label="Run output panel" onKeyDown={onKeyDown}>
      <OutputToolbar
        runId={run.id}
        connection={source.connection}
        active={active}
        total={pruned ? run.output.lines : total}
        navigable={navigable}
        pruned={pruned}
        follow={follow}
        timestamps={timestamps}
        onFollow={(next) => setFollow(next)}
        onStart={() => {
          setFollow(false);
          scrollTo(0);
        }}
        onEnd={() => {
          setFollow(active);
          scrollToEnd();
        }}
        onTimestamps={setTimestamps}
        search={
          <SearchBox
            ref={searchInput}
            input={search.input}
            state={search.state}
            growing={active}
            total={total}
            onInput={search.setInput}
            onNext={search.next}
            onPrevious={search.previous}
          />
        }
      />
      {pruned ? (
        <div className="output-pruned" role="status" data-testid="run-output">
          <strong>Output removed.</strong> The retention policy deleted this run&apos;s {run.output.lines.toLocaleString("en-US")} lines on{" "}
          {formatTime(run.output.prunedAt)}. Their digest is kept: <span className="mono">sha256 {run.output.sha256 ?? "—"}</span>
        </div>
      ) : (
        <div
          className={`output${timestamps ? " with-stamps" : ""}`}
          ref={outputRef}
          onScroll={onScroll}
          tabIndex={0}
          role="log"
          aria-live="off"
          aria-label="Run output"
          data-testid="run-output"
          style={style}
        >
          <div className="output-spacer" style={{ height: view.real }}>
            {rendered}
          </div>
          {total === 0 ? <div className="output-empty">{emptyMessage(run, source, active)}</div> : null}
        </div>
      )}
    </section>
  );
}
