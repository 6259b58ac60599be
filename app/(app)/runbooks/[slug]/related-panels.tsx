import Link from "next/link";
import type { Panel } from "@/lib/services/views/panels";
import { ageOf } from "../../dashboard/age";
import styles from "../../dashboard/dashboard.module.css";

/** Before acting: the state of what this runbook acts on, as its views last reported it, with their age. */
export function RelatedPanels({ panels, now }: { panels: Panel[]; now: number }) {
  if (panels.length === 0) return null;
  return (
    <div className={styles.beforeYouRun} data-testid="related-panels">
      <p className="small muted">Before you run it, the state of what it acts on:</p>
      <ul>
        {panels.map((panel) => {
          const status = panel.latest?.status ?? "unknown";
          return (
            <li key={panel.runbook.slug} data-panel={panel.runbook.slug}>
              <span className={`${styles.status} ${styles[status]}`}>{status}</span> <Link href="/dashboard">{panel.runbook.title}</Link>
              {panel.latest ? (
                <span className="small">
                  {" "}
                  {panel.latest.headline ?? panel.latest.parseError} <span className="muted">· {ageOf(panel.latest.at, now)}</span>
                </span>
              ) : (
                <span className="small muted"> no result yet</span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
