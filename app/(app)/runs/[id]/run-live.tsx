"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { denialReason } from "@/lib/policy/ability";
import { isActiveStatus } from "@/lib/run-statuses";
import { useAppAbility } from "../../../components/ability-context";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { RiskBadge, StatusBadge } from "../../../components/badges";
import { GuardedButton } from "../../../components/guarded-button";
import { formatBytes, formatRunDuration, formatTime } from "../../../components/format";
import { OutputViewer } from "./_viewer/output-viewer";
import { useOutputSource } from "./_viewer/use-output-source";
import { StepsChecklist } from "./_steps/steps-checklist";
import { ResumeForm } from "./_steps/resume-form";

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Statuses of a run that never started: there is no output to show. */
const SERVER_REFRESH_DELAY_MS = 300;
const NEVER_STARTED = new Set<RunDto["status"]>(["pending_approval", "rejected", "expired"]);

/**
 * The run's header and its live output: reads the persisted stream, so every viewer sees the same
 * lines. A status change (approved, started, finished…) also re-renders the server parts of the page.
 */
export function RunLive({ initial, realRunHref, runAgainHref, children }: { initial: RunDto; realRunHref: string | null; runAgainHref: string | null; children?: ReactNode }) {
  const [run, setRun] = useState(initial);
  // A server render after an action or a refresh brings a newer run: take it.
  const [rendered, setRendered] = useState(initial);
  if (rendered !== initial) {
    setRendered(initial);
    setRun(initial);
  }
  const [cancelError, setCancelError] = useState<string | null>(null);
  const router = useRouter();
  const active = isActiveStatus(run.status);
  const { role } = useAppAbility();
  const [cancelRequested, setCancelRequested] = useState(false);
  // Stopping a run is not undone: the first press asks, the second stops it.
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const now = useNow(active);
  // "Output" on a step asks the viewer to go to its first line; the count makes each press a new request.
  const [jump, setJump] = useState<{ seq: number; count: number } | null>(null);

  // One fetch of the run at a time: events that arrive meanwhile ask for one more, not one each.
  const inFlight = useRef<Promise<void> | null>(null);
  const fetchAgain = useRef(false);
  const refresh = useCallback((): Promise<void> => {
    if (inFlight.current) {
      fetchAgain.current = true;
      return inFlight.current;
    }
    const fetchUntilCurrent = async () => {
      do {
        fetchAgain.current = false;
        const response = await fetch(`/api/v1/runs/${initial.id}`, { cache: "no-store" });
        if (response.ok) setRun((await response.json()) as RunDto);
      } while (fetchAgain.current);
    };
    inFlight.current = fetchUntilCurrent().finally(() => {
      inFlight.current = null;
    });
    return inFlight.current;
  }, [initial.id]);

  // The server-rendered parts (the record below) follow once the live parts have been updated, at
  // most once per burst of events: re-rendering the page competes with the fetch people are waiting for.
  const serverRefreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshServerParts = useCallback(() => {
    clearTimeout(serverRefreshTimer.current);
    serverRefreshTimer.current = setTimeout(() => router.refresh(), SERVER_REFRESH_DELAY_MS);
  }, [router]);
  useEffect(() => () => clearTimeout(serverRefreshTimer.current), []);

  const shownStatus = useRef(initial.status);
  useEffect(() => {
    if (run.status === shownStatus.current) return;
    shownStatus.current = run.status;
    refreshServerParts();
  }, [run.status, refreshServerParts]);

  const source = useOutputSource(initial.id, initial.output.prunedAt !== null, isActiveStatus(initial.status), {
    // A status event also comes with each step change and each note: the server-rendered timeline follows.
    onStatus: () => {
      void refresh().then(refreshServerParts);
    },
    onEnd: () => {
      if (!active) return;
      void refresh();
      // The record below (audit trail, digest) is server-rendered: fetch it again now it is final.
      router.refresh();
    },
  });

  async function cancel() {
    setConfirmingCancel(false);
    setCancelError(null);
    setCancelRequested(true);
    const response = await fetch(`/api/v1/runs/${run.id}/cancel`, { method: "POST" });
    if (!response.ok) setCancelError(((await response.json()) as { error: string }).error);
    await refresh();
  }

  return (
    <>
      <section className="run-head panel">
        <div className="run-title">
          <h1>
            Run #{run.id} · <Link href={`/runbooks/${run.runbook.slug}`}>{run.runbook.title ?? run.runbook.slug}</Link>
          </h1>
          <StatusBadge status={run.status} />
          {run.status === "queued" && run.queue ? (
            <span className="queue-note" data-testid="queue-note">
              Queued — {run.queue.reason} (position {run.queue.position})
            </span>
          ) : null}
          <span className="spacer" />
          {!active && run.canResume ? <ResumeForm run={run} /> : null}
          {!active && runAgainHref ? (
            <Link href={runAgainHref} className="button" title="The run form with this run's parameters (secrets are typed again)">
              Run again
            </Link>
          ) : null}
          {confirmingCancel && run.canCancel ? (
            <span className="confirm-cancel" role="group" aria-label="Confirm cancel">
              <span className="small">{run.status === "running" ? "Stop its processes now?" : "Withdraw this run?"}</span>
              <button type="button" className="button danger" onClick={() => void cancel()}>
                {run.status === "pending_approval" ? "Yes, cancel the request" : "Yes, cancel the run"}
              </button>
              <button type="button" className="button ghost" onClick={() => setConfirmingCancel(false)}>
                Keep it
              </button>
            </span>
          ) : run.canCancel || (active && !cancelRequested) ? (
            <GuardedButton allowed={run.canCancel} reason={denialReason(role, "cancel", "Run", String(run.id))} className="button danger" onClick={() => setConfirmingCancel(true)}>
              {run.status === "pending_approval" ? "Cancel request" : "Cancel run"}
            </GuardedButton>
          ) : null}
        </div>
        <RunFlags run={run} />
        {run.watchers && run.watchers.length > 0 ? (
          <p className="watchers small" aria-label="Watching now">
            <span className="muted">Watching now:</span>{" "}
            {run.watchers.map((watcher) => (
              <span key={watcher.id} className="watcher" title={watcher.email}>
                {watcher.name}
              </span>
            ))}
          </p>
        ) : null}
        {cancelError ? <p className="form-error">{cancelError}</p> : null}
        <dl className="facts facts-grid">
          <div>
            <dt>Requested by</dt>
            <dd>
              {run.requestedBy.name} <span className="muted small">({run.requestedBy.email}, via {run.requestedVia})</span>
            </dd>
          </div>
          <div>
            <dt>{run.startedAt ? "Started" : "Requested"}</dt>
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
            <dd className="mono" title={`the exact version this run executed: ${run.runbook.version}`}>
              <Link href={`/runbooks/${run.runbook.slug}/versions/${run.runbook.version}`}>{run.runbook.version.slice(0, 12)}</Link>
            </dd>
          </div>
          <div>
            <dt>Output</dt>
            <dd>
              {active ? `${source.total.toLocaleString("en-US")} lines so far` : `${run.output.lines.toLocaleString("en-US")} lines, ${formatBytes(run.output.bytes)}`}
              {run.output.droppedBytes > 0 ? <span className="small muted"> (+{formatBytes(run.output.droppedBytes)} past the output cap, not stored)</span> : null}
              {run.output.sha256 && !active ? (
                <span className="mono small muted" title={`sha256 ${run.output.sha256}`}>
                  {" "}
                  sha256 {run.output.sha256.slice(0, 12)}
                </span>
              ) : null}
            </dd>
          </div>
        </dl>
        {run.errorMessage ? (
          <p className={run.status === "rejected" || run.status === "expired" ? "notice notice-denied" : "notice"} data-testid="run-error">
            {run.status === "rejected" ? "Rejected — never ran: " : run.status === "expired" ? "Expired — never ran: " : null}
            {run.errorMessage}
          </p>
        ) : null}
        {run.dryRun && !active && realRunHref ? (
          <p className="toolbar real-run">
            <Link href={realRunHref} className="button primary">
              Request the real run with these parameters
            </Link>
            <span className="small muted">This dry run is attached to the request, for the approvers to see.</span>
          </p>
        ) : null}
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
      {children}
      {run.steps ? <StepsChecklist run={run} now={now} onChanged={refresh} onShowOutput={(seq) => setJump((last) => ({ seq, count: (last?.count ?? 0) + 1 }))} /> : null}
      {NEVER_STARTED.has(run.status) && !run.startedAt ? (
        <p className="empty" data-testid="no-output">
          {run.status === "pending_approval" ? "Nothing runs until the request is approved." : "This run never started: there is no output."}
        </p>
      ) : (
        <OutputViewer run={run} source={source} active={active} jump={jump} />
      )}
    </>
  );
}

/** Dry run, raised risk, break-glass: beside the status, never inside .run-title (one badge there is the status). */
function RunFlags({ run }: { run: RunDto }) {
  const raised = run.risk !== run.runbook.risk;
  if (!run.dryRun && !raised && !run.breakGlass && !run.resumedFrom && !run.parent && !run.schedule) return null;
  return (
    <p className="run-flags">
      {run.schedule ? (
        <span className="small" data-testid="scheduled-run">
          Fired by <Link href="/schedules">schedule #{run.schedule.id}</Link> for {run.schedule.scheduledFor.slice(0, 16).replace("T", " ")} UTC
        </span>
      ) : null}
      {run.parent ? (
        <span className="small" data-testid="parent-run">
          Requested by step {run.parent.stepPosition + 1} of <Link href={`/runs/${run.parent.runId}`}>run #{run.parent.runId}</Link>
        </span>
      ) : null}
      {run.resumedFrom ? (
        <span className="small">
          Resumes <Link href={`/runs/${run.resumedFrom}`}>run #{run.resumedFrom}</Link>
        </span>
      ) : null}
      {run.dryRun ? <span className="badge dry-run">dry run</span> : null}
      {raised ? (
        <span title={`raised from ${run.runbook.risk} by the requester`}>
          <RiskBadge risk={run.risk} /> <span className="small muted">raised from {run.runbook.risk}</span>
        </span>
      ) : null}
      {run.breakGlass ? <span className="badge break-glass">break glass</span> : null}
    </p>
  );
}
