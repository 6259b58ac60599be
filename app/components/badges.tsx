import { statusLabel, type RunStatus } from "@/lib/run-statuses";

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge status-${status}`}>{statusLabel(status)}</span>;
}

export function RiskBadge({ risk }: { risk: "low" | "medium" | "high" }) {
  return <span className={`badge risk-${risk}`}>{risk} risk</span>;
}

/** What a list row says beside a run's status: it was a dry run, or it broke the glass (and whether that was reviewed). */
export function RunMarkers({ run }: { run: { dryRun: boolean; breakGlass: { review: unknown } | null } }) {
  if (!run.dryRun && !run.breakGlass) return null;
  return (
    <span className="run-markers">
      {run.dryRun ? <span className="badge dry-run">dry run</span> : null}
      {run.breakGlass ? (
        <span className="badge break-glass" title={run.breakGlass.review ? "break-glass, acknowledged" : "break-glass, waiting for review"}>
          break glass{run.breakGlass.review ? " ✓" : ""}
        </span>
      ) : null}
    </span>
  );
}
