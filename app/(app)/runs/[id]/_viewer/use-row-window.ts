"use client";

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { rowWindow, scrollTopFor, type Align } from "./row-window";

/** Tracks a scroll container's size and position and turns them into the rows to render. */
export function useRowWindow(count: number, rowHeight: number, overscan: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  // The last position set by code, so the scroll event it causes is not taken for the reader's.
  const programmatic = useRef(-1);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    setViewport(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const scrollTo = useCallback((top: number) => {
    const element = ref.current;
    if (!element) return;
    element.scrollTop = top;
    programmatic.current = element.scrollTop;
    setScrollTop(element.scrollTop);
  }, []);

  const scrollToIndex = useCallback(
    (index: number, align: Align) => scrollTo(scrollTopFor(index, align, count, rowHeight, ref.current?.clientHeight ?? viewport)),
    [scrollTo, count, rowHeight, viewport],
  );

  const scrollToEnd = useCallback(() => {
    const element = ref.current;
    if (element) scrollTo(element.scrollHeight - element.clientHeight);
  }, [scrollTo]);

  /** Records the new position; true when the reader moved it (not code). */
  const onScroll = useCallback((): boolean => {
    const element = ref.current;
    if (!element) return false;
    setScrollTop(element.scrollTop);
    return Math.abs(element.scrollTop - programmatic.current) >= 1;
  }, []);

  const atEnd = useCallback((slack: number) => {
    const element = ref.current;
    return !element || element.scrollHeight - element.clientHeight - element.scrollTop <= slack;
  }, []);

  return { ref, scrollTop, viewport, window: rowWindow(count, rowHeight, viewport, scrollTop, overscan), scrollTo, scrollToIndex, scrollToEnd, onScroll, atEnd };
}
