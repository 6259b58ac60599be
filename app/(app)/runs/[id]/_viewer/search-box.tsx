"use client";

import { forwardRef, type KeyboardEvent } from "react";
import type { SearchState } from "./use-output-search";

interface Props {
  input: string;
  state: SearchState;
  /** More output may still arrive, so a finished search may not have found everything. */
  growing: boolean;
  total: number;
  onInput: (value: string) => void;
  onNext: () => void;
  onPrevious: () => void;
}

function summary(state: SearchState, input: string, growing: boolean, total: number): string {
  if (!input) return "";
  if (state.error) return state.error;
  if (state.query !== input || (state.busy && state.matches.length === 0)) {
    return state.scanned > 0 && total > 0 ? `searching… ${Math.min(100, Math.floor((state.scanned / total) * 100))}%` : "searching…";
  }
  if (state.matches.length === 0) return "no matches";
  const more = state.nextAfter !== null || growing ? "+" : "";
  return `${state.index + 1} of ${state.matches.length}${more}`;
}

/** Search within the output: Enter for the next match, Shift+Enter for the previous, Escape to clear. */
export const SearchBox = forwardRef<HTMLInputElement, Props>(function SearchBox({ input, state, growing, total, onInput, onNext, onPrevious }, ref) {
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (event.shiftKey) onPrevious();
      else onNext();
    } else if (event.key === "Escape" && input) {
      event.preventDefault();
      onInput("");
    }
  }
  const text = summary(state, input, growing, total);
  const none = !input || state.matches.length === 0;
  return (
    <div className="output-search" role="search">
      <input
        ref={ref}
        type="search"
        value={input}
        maxLength={200}
        placeholder="Search output"
        aria-label="Search output"
        aria-describedby="output-search-status"
        onChange={(event) => onInput(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id="output-search-status" className={`search-status${state.error ? " search-error" : ""}`} aria-live="polite" data-testid="search-status">
        {text}
      </span>
      <button type="button" className="icon-button" onClick={onPrevious} disabled={none} aria-label="Previous match" title="Previous match (Shift+Enter)">
        ↑
      </button>
      <button type="button" className="icon-button" onClick={onNext} disabled={none} aria-label="Next match" title="Next match (Enter)">
        ↓
      </button>
    </div>
  );
});
