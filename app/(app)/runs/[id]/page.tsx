import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { idParam } from "@/lib/api/route";
import { requireActor } from "@/lib/auth/current-actor";
import { runAuditTrail } from "@/lib/services/audit/list-audit-events";
import { getRun } from "@/lib/services/runs/get-run";
import { AuditTable } from "../../../components/audit-table";
import { Denied } from "../../../components/denied";
import { RunLive } from "./run-live";

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
  const trail = await runAuditTrail(actor, run.id);
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runs">Runs</Link> / <span className="mono">#{run.id}</span>
        </p>
      </div>
      <RunLive key={run.id} initial={run} />
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
          <dt>Approved by</dt>
          <dd className="muted">no approval was required</dd>
          <dt>Output digest</dt>
          <dd className="mono small">{run.output.sha256 ? `sha256 ${run.output.sha256}` : "recorded when the run ends"}</dd>
        </dl>
        <h3>Every state change</h3>
        <AuditTable events={trail} />
      </section>
    </>
  );
}
