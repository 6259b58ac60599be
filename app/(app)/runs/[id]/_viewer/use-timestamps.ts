"use client";

import { useCallback, useSyncExternalStore } from "react";

const KEY = "handrail.output.timestamps";
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

const shownHere = () => window.localStorage.getItem(KEY) === "1";
// The server cannot know this browser's choice: it renders without timestamps and the browser follows.
const shownOnServer = () => false;

/** The timestamps toggle, remembered in this browser (and followed by its other tabs). */
export function useTimestamps(): [boolean, (show: boolean) => void] {
  const show = useSyncExternalStore(subscribe, shownHere, shownOnServer);
  const update = useCallback((next: boolean) => {
    window.localStorage.setItem(KEY, next ? "1" : "0");
    for (const listener of listeners) listener();
  }, []);
  return [show, update];
}
