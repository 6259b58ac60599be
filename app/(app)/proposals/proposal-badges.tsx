import type { ProposalSummary } from "@/lib/services/runbooks/proposals/proposal-dto";

const statusClass: Record<ProposalSummary["status"], string> = {
  open: "status-queued",
  published: "status-succeeded",
  rejected: "status-rejected",
  withdrawn: "status-cancelled",
};

export function ProposalStatusBadge({ status }: { status: ProposalSummary["status"] }) {
  return <span className={`badge ${statusClass[status]}`}>{status}</span>;
}

export function ProposalKindBadge({ kind }: { kind: ProposalSummary["kind"] }) {
  return <span className="tag">{kind === "new" ? "new runbook" : "change"}</span>;
}

/** "5 min ago", "3 h ago", "2 d ago": how long a proposal has waited. */
export function formatAge(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
