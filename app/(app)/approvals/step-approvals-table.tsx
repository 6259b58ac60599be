import Link from "next/link";
import type { StepApprovalRequest } from "@/lib/services/runs/approvals/list-approvals";
import { RequesterCell, RunAndRunbookCells } from "../../components/run-cells";
import { asSentence, formatTime } from "../../components/format";

/** Runs under way stopped at a step that needs approval; the decision is made on the run page, beside the step. */
export function StepApprovalsTable({ requests }: { requests: StepApprovalRequest[] }) {
  return (
    <table className="table runs-table" aria-label="Steps waiting for approval">
      <thead>
        <tr>
          <th>Run</th>
          <th>Runbook</th>
          <th>Step</th>
          <th>Requested by</th>
          <th>Approvals</th>
          <th>Expires</th>
          <th>Decide</th>
        </tr>
      </thead>
      <tbody>
        {requests.map(({ run, step }) => (
          <tr key={run.id} data-run={run.id}>
            <RunAndRunbookCells run={run} />
            <td>{step.title}</td>
            <RequesterCell run={run} />
            <td className="nowrap small">
              {step.approval?.decisions.filter((decision) => decision.decision === "approved").length ?? 0} of {step.approval?.required ?? 0}
            </td>
            <td className="nowrap small">{formatTime(step.approval?.expiresAt ?? null)}</td>
            <td>
              {step.canApprove ? (
                <Link href={`/runs/${run.id}`} className="button primary small">
                  Review step
                </Link>
              ) : (
                <span className="small muted">{step.approvalRefusal ? asSentence(step.approvalRefusal) : null}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
