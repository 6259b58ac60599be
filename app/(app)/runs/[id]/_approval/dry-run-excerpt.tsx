import Link from "next/link";
import type { OutputLine } from "@/lib/services/runs/read-output";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { StatusBadge } from "../../../../components/badges";
import styles from "./approval.module.css";

export interface AttachedDryRun {
  run: RunDto;
  /** The last lines of its output, oldest first. */
  lines: OutputLine[];
}

/** What the dry run printed, so approvers judge the plan and not only the parameters. */
export function DryRunExcerpt({ attached }: { attached: AttachedDryRun | null }) {
  if (!attached) return <p className="small muted">No dry run is attached to this request.</p>;
  const { run, lines } = attached;
  const skipped = run.output.lines - lines.length;
  return (
    <div data-testid="attached-dry-run">
      <p className="small">
        <Link href={`/runs/${run.id}`}>Dry run #{run.id}</Link> <StatusBadge status={run.status} />{" "}
        <span className="muted">
          exit {run.exitCode ?? "—"} · {run.output.lines.toLocaleString("en-US")} lines
          {skipped > 0 ? ` (last ${lines.length} shown)` : ""}
        </span>
      </p>
      <pre className={`code ${styles.excerpt}`}>
        {lines.length === 0 ? "(no output)" : lines.map((line) => (line.stream === "system" ? `[handrail] ${line.line}` : line.line)).join("\n")}
      </pre>
    </div>
  );
}
