import type { Metadata } from "next";
import Link from "next/link";
import { proposalStatuses } from "@/lib/proposal-statuses";
import { requireActor } from "@/lib/auth/current-actor";
import { abilityFor } from "@/lib/services/actor";
import { listProposals } from "@/lib/services/runbooks/proposals/read-proposals";
import { formatTime } from "../../components/format";
import { firstValues, type SearchParams } from "../../components/search-params";
import { formatAge, ProposalKindBadge, ProposalStatusBadge } from "./proposal-badges";
import styles from "./proposals.module.css";

export const metadata: Metadata = { title: "Proposals" };
export const dynamic = "force-dynamic";


type Props = { searchParams: Promise<SearchParams> };

export default async function ProposalsPage({ searchParams }: Props) {
  const actor = await requireActor("/proposals");
  const requested = firstValues(await searchParams).status;
  const status = proposalStatuses.find((candidate) => candidate === requested);
  const proposals = await listProposals(actor, status);
  // Open ones first (what needs a decision), each group newest first as listed.
  const ordered = [...proposals.filter((proposal) => proposal.status === "open"), ...proposals.filter((proposal) => proposal.status !== "open")];
  const ability = await abilityFor(actor);
  return (
    <>
      <div className="page-head">
        <h1>Proposals</h1>
        <p className="muted">
          New runbooks and changes drafted for review. Nothing here can run until an operator other than its author publishes it.
        </p>
      </div>
      <div className="toolbar">
        <nav className={styles.filters} aria-label="Filter by status">
          {[undefined, ...proposalStatuses].map((value) => (
            <Link
              key={value ?? "all"}
              href={value ? `/proposals?status=${value}` : "/proposals"}
              className={value === status ? `${styles.filter} ${styles.active}` : styles.filter}
              aria-current={value === status ? "page" : undefined}
            >
              {value ?? "all"}
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        {ability.can("propose", "Runbook") && !ability.can("edit", "Runbook") ? (
          <Link href="/runbooks/new" className="button primary small">
            Propose a runbook
          </Link>
        ) : null}
      </div>
      {ordered.length === 0 ? (
        <p className="empty">{status ? `No ${status} proposals.` : "No proposals yet."}</p>
      ) : (
        <table className="table" aria-label="Proposals">
          <thead>
            <tr>
              <th>Status</th>
              <th>Runbook</th>
              <th>Author</th>
              <th>Message</th>
              <th>Age</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {ordered.map((proposal) => (
              <tr key={proposal.id} data-testid={`proposal-${proposal.id}`}>
                <td>
                  <ProposalStatusBadge status={proposal.status} />
                </td>
                <td>
                  <Link href={`/proposals/${proposal.id}`}>{proposal.title}</Link> <ProposalKindBadge kind={proposal.kind} />
                  <div className="mono small muted">{proposal.slug}</div>
                </td>
                <td className="small">{proposal.author.id === actor.user.id ? "you" : proposal.author.email}</td>
                <td className={`small ${styles.message}`}>{proposal.message}</td>
                <td className="small nowrap" title={formatTime(proposal.createdAt)}>
                  {formatAge(proposal.createdAt)}
                </td>
                <td>
                  <span className={styles.flags}>
                    {proposal.stale ? <span className={`badge ${styles.stale}`} title="the runbook changed after this was drafted">stale</span> : null}
                    {proposal.canReview ? <span className={`badge ${styles.review}`}>awaiting your review</span> : null}
                    {proposal.canWithdraw ? <span className="small muted">waiting for another operator</span> : null}
                    {proposal.status !== "open" && proposal.reviewer ? <span className="small muted">by {proposal.reviewer.email}</span> : null}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
