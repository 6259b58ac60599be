import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { idParam } from "@/lib/api/route";
import { requireActor } from "@/lib/auth/current-actor";
import { runAuditTrail } from "@/lib/services/audit/list-audit-events";
import { getRun } from "@/lib/services/runs/get-run";
import { isActiveStatus } from "@/lib/run-statuses";
import { AuditTable } from "../../../components/audit-table";
import { Denied } from "../../../components/denied";
import { ApprovalPanel } from "./_approval/approval-panel";
import { BreakGlassBanner } from "./_approval/break-glass-banner";
import { Decisions } from "./_approval/decisions";
import { loadApprovalContext } from "./_approval/load-approval";
import { RunLive } from "./run-live";
import { NoteForm } from "./note-form";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run #${(await params).id}` };
}

export default async function RunPage({ params }: Props) {
  const { id } = await params;
  const actor = await requireActor(`/runs/${id}`);
  const loaded = await pageData(Promise.resolve().then(() => getRun(actor, idParam(id, "run"))));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const run = loaded.data;
  const [trail, context] = await Promise.all([runAuditTrail(actor, run.id), loadApprovalContext(actor, run)]);
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runs">Runs</Link> / <span className="mono">#{run.id}</span>
        </p>
      </div>
      <BreakGlassBanner run={run} />
      <RunLive key={run.id} initial={run} realRunHref={context.realRunHref} runAgainHref={context.runAgainHref}>
        <ApprovalPanel run={run} invocation={context.invocation} attached={context.attached} isRequester={run.requestedBy.id === actor.user.id} />
      </RunLive>
      <section className="panel record" aria-label="Run record">
        <h2>Record</h2>
        <dl className="facts">
          <dt>Definition</dt>
          <dd>
            <Link href={`/runbooks/${run.runbook.slug}/versions/${run.runbook.version}`} className="mono">
              {run.runbook.slug} @ {run.runbook.version.slice(0, 12)}
            </Link>
          </dd>
          <dt>Requested by</dt>
          <dd>
            {run.requestedBy.name} ({run.requestedBy.email}) via {run.requestedVia}
          </dd>
          <dt>Risk</dt>
          <dd>
            {run.risk}
            {run.risk !== run.runbook.risk ? <span className="small muted"> (raised from {run.runbook.risk})</span> : null}
          </dd>
          <dt>Reason</dt>
          <dd>{run.reason ?? <span className="muted">none given</span>}</dd>
          <dt>Ticket</dt>
          <dd className="mono">{run.ticket ?? <span className="muted">none</span>}</dd>
          {run.attachedDryRunId ? (
            <>
              <dt>Dry run shown to approvers</dt>
              <dd>
                <Link href={`/runs/${run.attachedDryRunId}`}>Run #{run.attachedDryRunId}</Link>
              </dd>
            </>
          ) : null}
          <dt>Approval</dt>
          <dd>
            {run.breakGlass ? (
              <span className="small">skipped by break-glass (incident {run.breakGlass.incident})</span>
            ) : run.approval ? (
              <Decisions decisions={run.approval.decisions ?? []} />
            ) : (
              <span className="muted">no approval was required</span>
            )}
          </dd>
          <dt>Output digest</dt>
          <dd className="mono small">{run.output.sha256 && !isActiveStatus(run.status) ? `sha256 ${run.output.sha256}` : "recorded when the run ends"}</dd>
        </dl>
        <h3>Every state change</h3>
        <NoteForm runId={run.id} />
        <AuditTable events={trail} />
      </section>
    </>
  );
}
