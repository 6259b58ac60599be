import Link from "next/link";
import type { Panel, PanelResult } from "@/lib/services/views/panels";
import { RiskBadge } from "../../components/badges";
import { formatTime } from "../../components/format";
import { ActionForm } from "../admin/users/action-form";
import { refreshViewAction } from "./actions";
import { ageOf, statusStreak } from "./age";
import { HistoryStrip } from "./history-strip";
import styles from "./dashboard.module.css";

function ResultBody({ result }: { result: PanelResult }) {
  if (result.parseError !== null) {
    return (
      <div className={styles.unreadable} data-testid="panel-parse-error">
        <p className="form-error">Could not read a result: {result.parseError}</p>
        {result.raw ? <pre className={styles.raw}>{result.raw}</pre> : null}
      </div>
    );
  }
  return (
    <>
      <p className={styles.headline} data-testid="panel-headline">
        {result.value !== null ? (
          <span className={styles.value}>
            {result.value}
            {result.unit ? <span className={styles.unit}>{result.unit}</span> : null}
          </span>
        ) : null}
        {result.headline}
      </p>
      {result.table ? (
        <div className="table-scroll">
          <table className={`table ${styles.detail}`}>
            <thead>
              <tr>
                {result.table.columns.map((column) => (
                  <th key={column}>{column}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.table.rows.map((row, index) => (
                <tr key={index}>
                  {row.map((cell, column) => (
                    <td key={column}>{cell === null ? "—" : String(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** One view: its latest result with its age, its history, a refresh, and the runbooks that act on the same thing. */
export function PanelCard({ panel, now }: { panel: Panel; now: number }) {
  const { runbook, latest } = panel;
  const status = latest?.status ?? "unknown";
  const streak = statusStreak(panel.history, now);
  return (
    <article className={`${styles.panel} ${styles[`edge-${status}`]}`} data-panel={runbook.slug} data-status={status}>
      <header className={styles.head}>
        <h2 className={styles.title}>
          <Link href={`/runbooks/${runbook.slug}`}>{runbook.title}</Link>
        </h2>
        <span className={`${styles.status} ${styles[status]}`} data-testid="panel-status">
          {status}
        </span>
      </header>
      {latest ? (
        <>
          <ResultBody result={latest} />
          <p className={`muted small ${styles.age}`} data-testid="panel-age">
            <span title={formatTime(latest.at)}>{ageOf(latest.at, now)}</span> · <Link href={`/runs/${latest.run}`}>run #{latest.run}</Link>
            {streak ? <span data-testid="panel-streak"> · {streak}</span> : null}
            {panel.refreshing ? <span className={styles.refreshing}> · refreshing…</span> : null}
          </p>
        </>
      ) : (
        <p className="muted" data-testid="panel-empty">
          No result yet{panel.refreshing ? ": a run is under way." : "."}
        </p>
      )}
      <HistoryStrip history={panel.history} now={now} />
      <footer className={styles.foot}>
        {runbook.canRun ? (
          <ActionForm action={refreshViewAction} layout="inline" showSuccess submit="Refresh" buttonClass="button small" fields={[{ name: "slug", type: "hidden", defaultValue: runbook.slug }]} />
        ) : null}
        {panel.related.length > 0 ? (
          <div className={styles.related} data-testid="panel-related">
            <span className="muted small">Act on it:</span>
            {panel.related.map((other) => (
              <Link key={other.slug} href={`/runbooks/${other.slug}`} className={styles.action}>
                {other.title} <RiskBadge risk={other.risk} />
              </Link>
            ))}
          </div>
        ) : null}
      </footer>
    </article>
  );
}
