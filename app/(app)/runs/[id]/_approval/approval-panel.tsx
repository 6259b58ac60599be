import Link from "next/link";
import type { EnvEntry } from "@/lib/runbooks/invocation";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { describeApprovers } from "@/lib/runbooks/safety";
import { RiskBadge } from "../../../../components/badges";
import { asSentence, formatTime } from "../../../../components/format";
import { DecisionForms } from "./decision-forms";
import { Decisions } from "./decisions";
import { DryRunExcerpt, type AttachedDryRun } from "./dry-run-excerpt";
import styles from "./approval.module.css";

interface Props {
  run: RunDto;
  /** What will execute once approved; null when the pinned version could not be read. */
  invocation: { argv: string[]; env: EnvEntry[] } | null;
  attached: AttachedDryRun | null;
  isRequester: boolean;
}

/** Everything an approver needs to judge a waiting request, frozen as it will run, and the decision itself. */
export function ApprovalPanel({ run, invocation, attached, isRequester }: Props) {
  const approval = run.approval;
  if (run.status !== "pending_approval" || !approval) return null;
  const approvals = approval.decisions?.filter((decision) => decision.decision === "approved").length ?? 0;
  const who = describeApprovers(approval.approvers) ?? "anyone allowed to approve runs";
  return (
    <div className={`columns ${styles.approval}`}>
      <section className="panel" aria-label="Approval request">
        <h2>Waiting for approval</h2>
        <dl className="facts">
          <dt>Requested</dt>
          <dd>
            by {run.requestedBy.name} <span className="muted small">({run.requestedBy.email})</span> at {formatTime(run.createdAt)}
          </dd>
          <dt>Risk</dt>
          <dd>
            <RiskBadge risk={run.risk} />
            {run.risk !== run.runbook.risk ? <span className="small"> raised from {run.runbook.risk}</span> : null}
          </dd>
          <dt>Reason</dt>
          <dd>{run.reason ?? <span className="muted">—</span>}</dd>
          <dt>Ticket</dt>
          <dd className="mono">{run.ticket ?? "—"}</dd>
          <dt>Version</dt>
          <dd className="mono">
            <Link href={`/runbooks/${run.runbook.slug}/versions/${run.runbook.version}`}>
              {run.runbook.slug} @ {run.runbook.version.slice(0, 12)}
            </Link>
          </dd>
          <dt>Approvals</dt>
          <dd>
            {approvals} of {approval.required}, from {who}
          </dd>
          <dt>Expires</dt>
          <dd>{formatTime(approval.expiresAt)}</dd>
        </dl>
        <h3>Parameters</h3>
        {Object.keys(run.params).length === 0 ? (
          <p className="small muted">None.</p>
        ) : (
          <table className="table compact" aria-label="Frozen parameters">
            <tbody>
              {Object.entries(run.params).map(([name, value]) => (
                <tr key={name}>
                  <td className="mono">{name}</td>
                  <td className="mono">{String(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>Command</h3>
        <pre className="code" data-testid="frozen-argv">
          {(invocation?.argv ?? run.argv).map((element) => JSON.stringify(element)).join(" ")}
        </pre>
        {invocation ? (
          <details className="params">
            <summary>Environment ({invocation.env.length} variables, secrets masked)</summary>
            <table className="table compact">
              <tbody>
                {invocation.env.map((entry) => (
                  <tr key={`${entry.origin}:${entry.name}`}>
                    <td className="mono">{entry.name}</td>
                    <td className="mono">{entry.value}</td>
                    <td className="small muted">{entry.origin}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
        <h3>Dry run</h3>
        <DryRunExcerpt attached={attached} />
      </section>
      <aside className={`panel side ${styles.decide}`} aria-label="Decision">
        <h2>Decide</h2>
        <Decisions decisions={approval.decisions ?? []} />
        {run.canApprove ? (
          <DecisionForms runId={run.id} from="run" />
        ) : (
          <p className="notice" data-testid="approval-refusal">
            {isRequester ? <strong>Waiting for someone else&apos;s approval. </strong> : null}
            {run.approvalRefusal ? asSentence(run.approvalRefusal) : null}
          </p>
        )}
      </aside>
    </div>
  );
}
