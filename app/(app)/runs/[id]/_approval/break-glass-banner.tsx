import type { RunDto } from "@/lib/services/runs/run-dto";
import { formatTime } from "../../../../components/format";
import { AcknowledgeForm } from "./decision-forms";
import styles from "./approval.module.css";

/** Loud on purpose: a run that skipped its approvals says so at the top of its page until, and after, it is reviewed. */
export function BreakGlassBanner({ run }: { run: RunDto }) {
  const glass = run.breakGlass;
  if (!glass) return null;
  return (
    <section className={styles.glass} role="alert" aria-label="Break-glass run" data-testid="break-glass-banner">
      <div className={styles.glassHead}>
        <strong>BREAK-GLASS RUN</strong>
        <span>
          {run.requestedBy.name} ran this at once, without the approval it needed. Incident <span className="mono">{glass.incident}</span>.
        </span>
      </div>
      <p className={styles.glassText}>{glass.justification}</p>
      {glass.review ? (
        <p className={styles.glassReview} data-testid="break-glass-review">
          Acknowledged by {glass.review.by?.email ?? "a reviewer"} at {formatTime(glass.review.at)}
          {glass.review.comment ? `: ${glass.review.comment}` : ""}
        </p>
      ) : (
        <div className={styles.glassReview}>
          <p>Waiting in the break-glass review queue: someone else who may approve this runbook must acknowledge it.</p>
          {run.canReviewBreakGlass ? <AcknowledgeForm runId={run.id} from="run" /> : null}
        </div>
      )}
    </section>
  );
}
