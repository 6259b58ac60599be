import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { getProposal, type ProposalDetail } from "@/lib/services/runbooks/proposals/read-proposals";
import { Denied } from "../../../components/denied";
import { formatTime } from "../../../components/format";
import { firstValues, type SearchParams } from "../../../components/search-params";
import { SideBySide } from "../../runbooks/[slug]/diff/side-by-side";
import { Confirm, ReasonForm } from "../../runbooks/[slug]/reason-form";
import { formatAge, ProposalKindBadge, ProposalStatusBadge } from "../proposal-badges";
import { publishProposalAction, rejectProposalAction, withdrawProposalAction } from "./actions";
import styles from "./proposal.module.css";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Proposal ${(await params).id.slice(0, 8)}` };
}

function ReviewPanel({ proposal }: { proposal: ProposalDetail }) {
  if (!proposal.canReview && !proposal.canWithdraw) return null;
  return (
    <aside className={`panel side ${styles.review}`} aria-label="Review">
      <h2>{proposal.canReview ? "Review" : "Your proposal"}</h2>
      {proposal.canReview ? (
        <>
          <section>
            <h3>Publish</h3>
            {proposal.stale ? (
              <p className="small muted">A stale proposal cannot be published: reject it and ask the author to propose again from the current version.</p>
            ) : (
              <ReasonForm
                action={publishProposalAction.bind(null, proposal.id)}
                field="comment"
                label="Comment"
                required={false}
                placeholder="e.g. looks good"
                submit={proposal.kind === "new" ? "Publish new runbook" : "Publish change"}
                testId="publish"
              />
            )}
          </section>
          <section>
            <h3>Reject</h3>
            <ReasonForm
              action={rejectProposalAction.bind(null, proposal.id)}
              field="comment"
              label="Tell the author why"
              placeholder="what would make it acceptable"
              submit="Reject"
              buttonClass="button danger"
              testId="reject"
            />
          </section>
        </>
      ) : null}
      {proposal.canWithdraw ? (
        <section>
          <Confirm label="Withdraw…" buttonClass="button danger small" testId="withdraw">
            <p className="small">Takes the proposal back. It stays in the list as withdrawn.</p>
            <ReasonForm action={withdrawProposalAction.bind(null, proposal.id)} submit="Withdraw proposal" buttonClass="button danger" />
          </Confirm>
        </section>
      ) : null}
    </aside>
  );
}

export default async function ProposalPage({ params, searchParams }: Props) {
  const { id } = await params;
  const full = firstValues(await searchParams).full === "1";
  const actor = await requireActor(`/proposals/${id}`);
  const loaded = await pageData(getProposal(actor, id));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const proposal = loaded.data;
  const isAuthor = proposal.author.id === actor.user.id;
  // A new runbook exists only once published; a change's runbook always does.
  const runbookExists = proposal.kind === "change" || proposal.status === "published";
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/proposals">Proposals</Link> / <span className="mono">{proposal.id.slice(0, 8)}</span>
        </p>
        <h1>
          {proposal.title} <ProposalStatusBadge status={proposal.status} /> <ProposalKindBadge kind={proposal.kind} />
        </h1>
        <p className="lead">
          {proposal.kind === "new" ? "A new runbook " : "A change to "}
          {runbookExists ? <Link href={`/runbooks/${proposal.slug}`} className="mono">{proposal.slug}</Link> : <span className="mono">{proposal.slug}</span>}
          {proposal.kind === "new" ? " proposed" : ""} by {isAuthor ? "you" : proposal.author.email}, {formatAge(proposal.createdAt)}.
        </p>
        {isAuthor && proposal.status === "open" ? (
          <p className="notice" data-testid="author-note">
            You wrote this, so someone else who may edit this runbook must review it. Nothing of it can run until they publish it.
          </p>
        ) : null}
        {proposal.loosens.length > 0 ? (
          <div className="notice" data-testid="loosens-note">
            <strong>Loosens a safety net.</strong> Publishing this {proposal.status === "open" ? "would change" : "changed"}:
            <ul>
              {proposal.loosens.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
            One person may tighten a runbook&apos;s safety nets, never loosen them: someone other than its author must publish it.
          </div>
        ) : null}
        {proposal.stale ? (
          <p className="notice notice-denied" data-testid="stale-note">
            Stale: <span className="mono">{proposal.slug}</span> changed after this proposal was drafted, so it cannot be published as is.{" "}
            {runbookExists ? <Link href={`/runbooks/${proposal.slug}/history`}>See what changed</Link> : null}
          </p>
        ) : null}
      </div>
      <div className="columns">
        <section className="panel">
          <h2>Proposal</h2>
          <dl className="facts">
            <dt>Message</dt>
            <dd>
              <p className={styles.message}>{proposal.message}</p>
            </dd>
            <dt>Author</dt>
            <dd>{proposal.author.email}</dd>
            <dt>Drafted</dt>
            <dd>{formatTime(proposal.createdAt)}</dd>
            <dt>Status</dt>
            <dd>
              <ProposalStatusBadge status={proposal.status} />
              {proposal.reviewer ? <span className="small"> by {proposal.reviewer.email}</span> : null}
              {proposal.reviewedAt ? <span className="small muted"> · {formatTime(proposal.reviewedAt)}</span> : null}
            </dd>
            {proposal.reviewComment ? (
              <>
                <dt>Review comment</dt>
                <dd>
                  <p className={styles.message}>{proposal.reviewComment}</p>
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        <ReviewPanel proposal={proposal} />
      </div>
      <section className={`panel ${styles.diff}`}>
        <h2>{proposal.kind === "new" ? "Proposed runbook" : "Proposed change"}</h2>
        <SideBySide
          rows={proposal.rows}
          leftTitle={proposal.kind === "new" ? "(new runbook: nothing before)" : "Version it was drafted against"}
          rightTitle="Proposed"
          {...(full ? {} : { expandHref: `/proposals/${proposal.id}?full=1` })}
        />
      </section>
    </>
  );
}
