import type { RunStatus } from "@/lib/run-statuses";

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`badge status-${status}`}>{status.replace("_", " ")}</span>;
}

export function RiskBadge({ risk }: { risk: "low" | "medium" | "high" }) {
  return <span className={`badge risk-${risk}`}>{risk} risk</span>;
}
