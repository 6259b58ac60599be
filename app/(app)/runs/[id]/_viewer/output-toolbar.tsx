"use client";

import type { ReactNode } from "react";
import type { Connection } from "./use-output-source";

interface Props {
  runId: number;
  connection: Connection;
  active: boolean;
  total: number;
  /** Whether there is output to navigate (not pruned, not empty). */
  navigable: boolean;
  /** The retention policy removed the lines: nothing to show, search or download. */
  pruned: boolean;
  follow: boolean;
  timestamps: boolean;
  search: ReactNode;
  onFollow: (follow: boolean) => void;
  onStart: () => void;
  onEnd: () => void;
  onTimestamps: (show: boolean) => void;
}

const connectionLabel: Record<Connection, (active: boolean) => string> = {
  loading: () => "loading",
  live: (active) => (active ? "live" : "loading"),
  reconnecting: () => "reconnecting…",
  ended: () => "finished",
};

export function OutputToolbar(props: Props) {
  const { runId, connection, active, total, navigable, pruned, follow, timestamps } = props;
  return (
    <div className="output-toolbar" role="group" aria-label="Output controls">
      <strong>Output</strong>
      <span className={`live live-${connection}`}>{connectionLabel[connection](active)}</span>
      <span className="muted small" data-testid="output-count">
        {total.toLocaleString("en-US")} {total === 1 ? "line" : "lines"}
      </span>
      <span className="spacer" />
      {navigable ? props.search : null}
      {active ? (
        <button
          type="button"
          className={`tool-button${follow ? " on" : ""}`}
          aria-pressed={follow}
          onClick={() => props.onFollow(!follow)}
          title={follow ? "Following the newest line: click or scroll up to pause" : "Paused: click to follow the newest line"}
        >
          <span className="follow-dot" aria-hidden="true" /> Follow
        </button>
      ) : null}
      <button type="button" className="tool-button" onClick={props.onStart} disabled={!navigable} aria-label="Jump to start" title="Jump to the first line">
        ⤒ Start
      </button>
      <button type="button" className="tool-button" onClick={props.onEnd} disabled={!navigable} aria-label="Jump to end" title="Jump to the last line">
        End ⤓
      </button>
      {pruned ? null : (
        <>
          <label className="tool-check">
            <input type="checkbox" checked={timestamps} onChange={(event) => props.onTimestamps(event.target.checked)} /> Timestamps
          </label>
          <a className="tool-button" href={`/api/v1/runs/${runId}/output?download=1`} download={`run-${runId}.log`}>
            Download raw
          </a>
        </>
      )}
    </div>
  );
}
