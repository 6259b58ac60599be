import type { Panel } from "@/lib/services/views/panels";
import { formatTime } from "../../components/format";
import { ageOf } from "./age";
import styles from "./dashboard.module.css";

/** The values of the history as a small line, oldest on the left; nothing when fewer than two have a value. */
function Sparkline({ history }: { history: Panel["history"] }) {
  const points = history.flatMap((result, index) => (result.value === null ? [] : [{ index, value: result.value }]));
  if (points.length < 2) return null;
  const values = points.map((point) => point.value);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const span = high - low || 1;
  const width = 120;
  const height = 28;
  const last = Math.max(history.length - 1, 1);
  const line = points.map((point) => `${((point.index / last) * width).toFixed(1)},${(height - 2 - ((point.value - low) / span) * (height - 4)).toFixed(1)}`).join(" ");
  return (
    <svg className={styles.sparkline} viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`values from ${low} to ${high}`} data-testid="panel-sparkline">
      <polyline points={line} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

/** Status over time, oldest first: one cell per result, so "critical for the last 20 minutes" shows. */
export function HistoryStrip({ history, now }: { history: Panel["history"]; now: number }) {
  if (history.length === 0) return null;
  return (
    <div className={styles.history}>
      <ol className={styles.strip} aria-label="Recent results, oldest first" data-testid="panel-history">
        {history.map((result) => (
          <li key={result.run} className={`${styles.cell} ${styles[result.status]}`} title={`${result.status}${result.value !== null ? ` · ${result.value}` : ""} · ${formatTime(result.at)} (${ageOf(result.at, now)}) · run #${result.run}`} />
        ))}
      </ol>
      <Sparkline history={history} />
    </div>
  );
}
