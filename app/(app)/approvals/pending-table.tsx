import Link from "next/link";
import { RequesterCell, RunAndRunbookCells } from "../../components/run-cells";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { RiskBadge } from "../../components/badges";
import { asSentence, formatTime } from "../../components/format";
import { Confirm } from "../runbooks/[slug]/reason-form";
import { ApproveForm, RejectForm } from "../runs/[id]/_approval/decision-forms";

/** Requests waiting for approval: with Approve/Reject when this user may decide, otherwise why not. */
export function PendingTable({ runs, decide }: { runs: RunDto[]; decide: boolean }) {
  return (
    <table className="table runs-table">
      <thead>
        <tr>
          <th>Run</th>
          <th>Runbook</th>
          <th>Risk</th>
          <th>Requested by</th>
          <th>Why</th>
          <th>Expires</th>
          <th>{decide ? "Decide" : "Why you can't decide"}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run={run.id}>
            <RunAndRunbookCells run={run} />
            <td className="nowrap">
              <RiskBadge risk={run.risk} />
              {run.risk !== run.runbook.risk ? <div className="small muted">raised from {run.runbook.risk}</div> : null}
            </td>
            <RequesterCell run={run} />
            <td className="small">
              {run.reason ?? ""}
              {run.ticket ? <div className="mono">{run.ticket}</div> : null}
            </td>
            <td className="nowrap small">{formatTime(run.approval?.expiresAt ?? null)}</td>
            <td>
              {decide ? (
                <span className="toolbar">
                  <Link href={`/runs/${run.id}`} className="button small">
                    Review
                  </Link>
                  <Confirm label="Approve…" buttonClass="button primary small" align="right" testId="approve-popover">
                    <ApproveForm runId={run.id} from="approvals" />
                  </Confirm>
                  <Confirm label="Reject…" buttonClass="button danger small" align="right" testId="reject-popover">
                    <RejectForm runId={run.id} from="approvals" />
                  </Confirm>
                </span>
              ) : (
                <span className="small muted">{run.approvalRefusal ? asSentence(run.approvalRefusal) : null}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
