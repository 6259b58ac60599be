import { RequesterCell, RunAndRunbookCells } from "../../components/run-cells";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { StatusBadge } from "../../components/badges";
import { formatTime } from "../../components/format";
import { Confirm } from "../runbooks/[slug]/reason-form";
import { AcknowledgeForm } from "../runs/[id]/_approval/decision-forms";
import styles from "./approvals.module.css";

/** Break-glass runs: who broke the glass and why, and their review (or the Acknowledge form). */
export function BreakGlassTable({ runs, actorId }: { runs: RunDto[]; actorId: string }) {
  return (
    <table className="table runs-table">
      <thead>
        <tr>
          <th>Run</th>
          <th>Runbook</th>
          <th>Status</th>
          <th>Broken by</th>
          <th>Incident and justification</th>
          <th>Review</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run={run.id} className="row-break-glass">
            <RunAndRunbookCells run={run} />
            <td>
              <StatusBadge status={run.status} />
            </td>
            <RequesterCell run={run} />
            <td className="small">
              <span className="mono">{run.breakGlass?.incident}</span>
              <div className={styles.justification}>{run.breakGlass?.justification}</div>
            </td>
            <td className="small">
              {run.breakGlass?.review ? (
                <>
                  by {run.breakGlass.review.by?.email ?? "a reviewer"} · {formatTime(run.breakGlass.review.at)}
                  {run.breakGlass.review.comment ? <div className={styles.justification}>{run.breakGlass.review.comment}</div> : null}
                </>
              ) : run.canReviewBreakGlass ? (
                <Confirm label="Acknowledge…" buttonClass="button primary small" align="right" testId="acknowledge-popover">
                  <AcknowledgeForm runId={run.id} from="approvals" />
                </Confirm>
              ) : (
                <span className="muted">{run.requestedBy.id === actorId ? "you broke the glass; someone else must review it" : "waiting for an approver to review it"}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
