import type { ApprovalDecisionDto } from "@/lib/services/runs/run-dto";
import { formatTime } from "../../../../components/format";
import styles from "./approval.module.css";

export function Decisions({ decisions }: { decisions: ApprovalDecisionDto[] }) {
  if (decisions.length === 0) return <span className="small muted">No decisions yet.</span>;
  return (
    <ul className="mini-list" aria-label="Decisions">
      {decisions.map((decision) => (
        <li key={`${decision.by.id}:${decision.at}`} className="small">
          <span className={decision.decision === "approved" ? styles.approved : styles.rejected}>{decision.decision}</span> by {decision.by.email}
          <span className="muted"> · {formatTime(decision.at)}</span>
          {decision.comment ? <div className={styles.comment}>{decision.comment}</div> : null}
        </li>
      ))}
    </ul>
  );
}
