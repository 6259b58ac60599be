"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { denialReason } from "@/lib/policy/ability";
import { isActiveStatus } from "@/lib/run-statuses";
import { useAppAbility } from "../../../components/ability-context";
import type { RunDto } from "@/lib/services/runs/run-dto";
import type { OutputLine } from "@/lib/services/runs/read-output";
import { StatusBadge } from "../../../components/badges";
import { formatBytes, formatRunDuration, formatTime } from "../../../components/format";

const MAX_RENDERED_LINES = 10_000;

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** The run's header and its live output: reads the persisted stream, so every viewer sees the same lines. */
export function RunLive({ initial }: { initial: RunDto }) {
  const [run, setRun] = useState(initial);
  const [lines, setLines] = useState<OutputLine[]>([]);
  const [total, setTotal] = useState(0);
  const [follow, setFollow] = useState(true);
  const [connection, setConnection] = useState<"live" | "reconnecting" | "ended">("live");
  const [cancelError, setCancelError] = useState<string | null>(null);
  const pane = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const active = isActiveStatus(run.status);
  const { role } = useAppAbility();
  const [cancelRequested, setCancelRequested] = useState(false);
  const now = useNow(active);

  const refresh = useCallback(async () => {
    const response = await fetch(`/api/v1/runs/${initial.id}`, { cache: "no-store" });
    if (response.ok) setRun((await response.json()) as RunDto);
  }, [initial.id]);

  useEffect(() => {
    const source = new EventSource(`/api/v1/runs/${initial.id}/stream`);
    let pending: OutputLine[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setTotal((count) => count + batch.length);
      setLines((previous) => {
        const next = previous.concat(batch);
        return next.length > MAX_RENDERED_LINES ? next.slice(next.length - MAX_RENDERED_LINES) : next;
      });
    };
    source.addEventListener("line", (event) => {
      pending.push(JSON.parse((event as MessageEvent<string>).data) as OutputLine);
      frame ||= requestAnimationFrame(flush);
    });
    source.addEventListener("status", () => void refresh());
    source.addEventListener("end", () => {
      source.close();
      setConnection("ended");
      void refresh();
      // The record below (audit trail, digest) is server-rendered: fetch it again now it is final.
      router.refresh();
    });
    source.onopen = () => setConnection((state) => (state === "ended" ? state : "live"));
    source.onerror = () => setConnection((state) => (state === "ended" ? state : "reconnecting"));
    return () => {
      source.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [initial.id, refresh, router]);

  useLayoutEffect(() => {
    if (follow && pane.current) pane.current.scrollTop = pane.current.scrollHeight;
  }, [lines, follow]);

  function onScroll() {
    const element = pane.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    if (atBottom !== follow) setFollow(atBottom);
  }

  async function cancel() {
    setCancelError(null);
    setCancelRequested(true);
    const response = await fetch(`/api/v1/runs/${run.id}/cancel`, { method: "POST" });
    if (!response.ok) setCancelError(((await response.json()) as { error: string }).error);
    await refresh();
  }

  const hidden = total - lines.length;
  return (
    <>
      <section className="run-head panel">
        <div className="run-title">
          <h1>
            Run #{run.id} · <Link href={`/runbooks/${run.runbook.slug}`}>{run.runbook.title ?? run.runbook.slug}</Link>
          </h1>
          <StatusBadge status={run.status} />
          <span className="spacer" />
          {run.canCancel ? (
            <button type="button" className="button danger" onClick={() => void cancel()}>
              Cancel run
            </button>
          ) : active && !cancelRequested ? (
            <span className="guarded">
              <button type="button" className="button danger" disabled>
                Cancel run
              </button>
              <span className="guard-reason">{denialReason(role, "cancel", "Run", String(run.id))}</span>
            </span>
          ) : null}
        </div>
        {cancelError ? <p className="form-error">{cancelError}</p> : null}
        <dl className="facts facts-grid">
          <div>
            <dt>Requested by</dt>
            <dd>
              {run.requestedBy.name} <span className="muted small">({run.requestedBy.email}, via {run.requestedVia})</span>
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatTime(run.startedAt ?? run.createdAt)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatRunDuration(run.startedAt, run.finishedAt, now)}</dd>
          </div>
          <div>
            <dt>Exit code</dt>
            <dd className="mono">
              {run.exitCode ?? "—"}
              {run.signal ? ` (${run.signal})` : ""}
            </dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd className="mono" title={run.runbook.version}>
              {run.runbook.version.slice(0, 12)}
            </dd>
          </div>
          <div>
            <dt>Output</dt>
            <dd>
              {active ? `${total} lines so far` : `${run.output.lines} lines, ${formatBytes(run.output.bytes)}`}
              {run.output.sha256 ? (
                <span className="mono small muted" title={`sha256 ${run.output.sha256}`}>
                  {" "}
                  sha256 {run.output.sha256.slice(0, 12)}
                </span>
              ) : null}
            </dd>
          </div>
        </dl>
        {run.errorMessage ? <p className="notice">{run.errorMessage}</p> : null}
        <details className="params">
          <summary>Parameters and command</summary>
          <table className="table compact">
            <tbody>
              {Object.entries(run.params).map(([name, value]) => (
                <tr key={name}>
                  <th className="mono">{name}</th>
                  <td className="mono">{String(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <pre className="code">{run.argv.map((element) => JSON.stringify(element)).join(" ")}</pre>
        </details>
      </section>
      <section className="output-panel">
        <div className="output-toolbar">
          <strong>Output</strong>
          <span className={`live live-${connection}`}>
            {connection === "ended" ? "finished" : connection === "live" ? (active ? "live" : "loading") : "reconnecting…"}
          </span>
          <span className="muted small">{total} lines</span>
          <span className="spacer" />
          <label className="small">
            <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} /> Follow
          </label>
          <a className="button ghost small" href={`/api/v1/runs/${run.id}/output`} download={`run-${run.id}.log`}>
            Download raw
          </a>
        </div>
        <div className="output" ref={pane} onScroll={onScroll} role="log" aria-live="off" aria-label="Run output" data-testid="run-output">
          {hidden > 0 ? <div className="line line-system">… {hidden} earlier lines not shown here; download the raw output for all of them</div> : null}
          {lines.map((line) => (
            <div key={line.seq} className={`line line-${line.stream}`} data-seq={line.seq}>
              <span className="gutter">{line.seq}</span>
              <span className="text">{line.line}</span>
            </div>
          ))}
          {lines.length === 0 ? (
            <div className="line line-system">
              {run.output.prunedAt
                ? `output removed by the retention policy on ${formatTime(run.output.prunedAt)}; its digest (sha256 ${run.output.sha256 ?? "—"}) is kept`
                : active
                  ? "waiting for output…"
                  : connection === "ended"
                    ? "no output"
                    : "loading output…"}
            </div>
          ) : null}
        </div>
      </section>
    </>
  );
}
