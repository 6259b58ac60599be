import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import { RiskBadge } from "../../components/badges";

export const metadata: Metadata = { title: "Runbooks" };
export const dynamic = "force-dynamic";

export default async function RunbooksPage() {
  const actor = await requireActor("/runbooks");
  const runbooks = await listRunbooks(actor);
  return (
    <>
      <div className="page-head">
        <h1>Runbooks</h1>
        <p className="muted">Procedures you can run yourself. Every run is recorded.</p>
      </div>
      {runbooks.length === 0 ? (
        <p className="empty">No runbooks are loaded. Add YAML files to the runbooks directory and restart, or run `npx handrail runbooks sync`.</p>
      ) : (
        <ul className="cards">
          {runbooks.map((runbook) => (
            <li key={runbook.slug} className="card">
              <div className="card-head">
                <Link href={`/runbooks/${runbook.slug}`} className="card-title">
                  {runbook.title}
                </Link>
                <RiskBadge risk={runbook.risk} />
              </div>
              <p className="card-body">{runbook.description}</p>
              <div className="card-foot">
                <span className="mono small">{runbook.slug}</span>
                <span className="small muted">owner {runbook.owner}</span>
                {runbook.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
                <span className="spacer" />
                {runbook.canRun ? (
                  <Link href={`/runbooks/${runbook.slug}`} className="button small">
                    Open
                  </Link>
                ) : (
                  <span className="small muted" title={runbook.runDeniedReason ?? undefined}>
                    view only
                  </span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
