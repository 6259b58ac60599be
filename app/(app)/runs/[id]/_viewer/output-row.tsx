import { Fragment, memo } from "react";
import type { OutputLine } from "@/lib/services/runs/read-output";
import { ansiSegments, markMatches } from "./ansi";

function clockOf(at: string): string {
  return at.slice(11, 23);
}

interface RowProps {
  seq: number;
  line: OutputLine | undefined;
  top: number;
  query: string;
  current: boolean;
  timestamps: boolean;
}

/** One output line: number, optional UTC time, and the text with its ANSI colours. Memoised: only rows whose inputs change re-render. */
export const OutputRow = memo(function OutputRow({ seq, line, top, query, current, timestamps }: RowProps) {
  const style = { transform: `translateY(${top}px)` };
  if (!line) {
    return (
      <div className="row-pending" style={style} data-seq={seq} aria-hidden="true">
        <span className="gutter">{seq}</span>
        {timestamps ? <span className="stamp" /> : null}
        <span className="text">…</span>
      </div>
    );
  }
  return (
    <div className={`line line-${line.stream}${current ? " line-current" : ""}`} style={style} data-seq={seq}>
      <span className="gutter">{seq}</span>
      {timestamps ? (
        <span className="stamp" title={line.at}>
          {clockOf(line.at)}
        </span>
      ) : null}
      <span className="text">
        {line.stream === "system" ? <span className="sys-tag">[handrail] </span> : null}
        {markMatches(ansiSegments(line.line), query).map((segment, index) => {
          const text = segment.match ? <mark>{segment.text}</mark> : segment.text;
          return segment.className || segment.style ? (
            <span key={index} className={segment.className || undefined} style={segment.style}>
              {text}
            </span>
          ) : (
            <Fragment key={index}>{text}</Fragment>
          );
        })}
      </span>
    </div>
  );
});
