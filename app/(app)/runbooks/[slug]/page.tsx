import type { Metadata } from "next";
import Link from "next/link";
import { listPanels } from "@/lib/services/views/panels";
import { renderedAt } from "../../dashboard/age";
import { RelatedPanels } from "./related-panels";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { asRunbook, type AppRule } from "@/lib/policy/ability";
import { abilityFor } from "@/lib/services/actor";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";
import { getRunbookVersion } from "@/lib/services/runbooks/get-runbook-version";
import { whoCanRun } from "@/lib/services/access/check-access";
import { listRuns } from "@/lib/services/runs/list-runs";
import { listSchedules } from "@/lib/services/schedules/read-schedules";
import { pendingLoosenings } from "@/lib/services/runbooks/proposals/read-proposals";
import { RiskBadge, StatusBadge } from "../../../components/badges";
import { Denied } from "../../../components/denied";
import { formatTime } from "../../../components/format";
import { describeApprovers } from "@/lib/runbooks/safety";
import { firstValues, type SearchParams } from "../../../components/search-params";
import { requestRunAction } from "./actions";
import { FileManagedNote } from "./file-managed-note";
import { RunbookActions } from "./runbook-actions";
import { prefillFromQuery } from "./prefill";
import { RunForm, type RunSafety } from "./run-form";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).slug };
}

/** The safety rules the run form shows, for this user: from the current version's definition and their policies. */
async function runSafety(actor: Awaited<ReturnType<typeof requireActor>>, slug: string, version: string, subject: Parameters<typeof asRunbook>[0]): Promise<RunSafety> {
  const [{ definition }, ability] = await Promise.all([getRunbookVersion(actor, slug, version), abilityFor(actor)]);
  return {
    definition: { slug, risk: definition.risk, approval: definition.approval, confirm: definition.confirm, dryRun: definition.dryRun },
    runRules: ability.rulesFor("run", "Runbook").map((rule) => rule.origin as AppRule),
    canBreakGlass: ability.can("break-glass", asRunbook(subject)),
    approvers: describeApprovers(definition.approval?.approvers),
  };
}

export default async function RunbookPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const actor = await requireActor(`/runbooks/${slug}`);
  const loaded = await pageData(getRunbook(actor, slug, { includeArchived: true }));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const runbook = loaded.data;
  const subject = { slug: runbook.slug, risk: runbook.risk, owner: runbook.owner, tags: runbook.tags, environment: runbook.environment };
  const safety = runbook.archived ? null : await runSafety(actor, runbook.slug, runbook.version, subject);
  const prefill = prefillFromQuery(firstValues(await searchParams));
  const recent = await listRuns(actor, { runbook: slug, limit: 5 });
  const scheduled = await listSchedules(actor, { runbook: slug });
  const related = runbook.view || runbook.archived ? [] : await listPanels(actor, { relatedTo: runbook });
  const loosening = await pendingLoosenings(actor, slug);
  // Nobody can run an archived runbook, and whoCanRun knows only active ones.
  const runners = runbook.archived ? null : await pageData(whoCanRun(actor, slug));
  // Why each of them may (the deciding rule) is for those who may read policies.
  const mayInspect = (await abilityFor(actor)).can("view", "Policy");
  const what = runbook.command ?? [...(runbook.script?.language ? [runbook.script.language] : []), runbook.script?.path ?? "", ...(runbook.args ?? [])];
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / <span className="mono">{runbook.slug}</span>
        </p>
        <h1>
          {runbook.title} <RiskBadge risk={runbook.risk} />
          {runbook.archived ? <span className="badge status-cancelled">archived</span> : null}
        </h1>
        <p className="lead">{runbook.description}</p>
        <RunbookActions runbook={runbook} />
        {runbook.source === "file" ? <FileManagedNote sourcePath={runbook.sourcePath} /> : null}
        {loosening.map((pending) => (
          <div key={pending.id} className="notice" data-testid="pending-loosening">
            <strong>A change that loosens a safety net is waiting for review</strong> ({pending.author.id === actor.user.id ? "yours" : `by ${pending.author.email}`}
            {pending.stale ? ", stale" : ""}): {pending.loosens.join("; ")}. Until another editor publishes it, the runbook runs as shown here.{" "}
            <Link href={`/proposals/${pending.id}`}>Review the change</Link>
          </div>
        ))}
      </div>
      <div className="columns">
        <section className="panel" id="run">
          <h2>Run</h2>
          {runbook.archived || !safety ? (
            <p className="notice" data-testid="archived">
              Archived: this runbook cannot be run. Its versions and past runs are kept;{" "}
              {runbook.source === "file"
                ? "its file was removed: add it back and run `handrail runbooks sync` to bring it back."
                : runbook.canEdit
                  ? "unarchive it above to run it again."
                  : "an operator can bring it back."}
            </p>
          ) : (
            <>
              <RelatedPanels panels={related} now={renderedAt()} />
              <RunForm parameters={runbook.parameters} runbook={subject} safety={safety} prefill={prefill} action={requestRunAction.bind(null, runbook.slug)} />
            </>
          )}
        </section>
        <aside className="panel side">
          <h2>Details</h2>
          <dl className="facts">
            <dt>Owner</dt>
            <dd>{runbook.owner}</dd>
            <dt>Timeout</dt>
            <dd>{runbook.timeout}</dd>
            <dt>Tags</dt>
            <dd>{runbook.tags.length ? runbook.tags.map((tag) => <span key={tag} className="tag">{tag}</span>) : "—"}</dd>
            <dt>Version</dt>
            <dd className="mono" title={runbook.version}>
              <Link href={`/runbooks/${runbook.slug}/versions/${runbook.version}`}>{runbook.version.slice(0, 12)}</Link>{" "}
              <Link href={`/runbooks/${runbook.slug}/history`} className="small">
                history
              </Link>
            </dd>
            <dt>Source</dt>
            <dd className="mono small">{runbook.source === "file" ? (runbook.sourcePath ?? "a file in the runbooks directory") : "authored in Handrail"}</dd>
          </dl>
          {scheduled.length > 0 ? (
            <>
              <h3>Schedules</h3>
              <ul className="mini-list" aria-label="Schedules" data-testid="runbook-schedules">
                {scheduled.map((schedule) => (
                  <li key={schedule.id}>
                    <Link href="/schedules" className="mono">
                      {schedule.name}
                    </Link>{" "}
                    <span className="small mono">{schedule.cron ?? `once, ${schedule.runAt?.slice(0, 16).replace("T", " ")} UTC`}</span>{" "}
                    <span className="small muted">
                      {schedule.cron ? `${schedule.timeZone}, ` : ""}as {schedule.owner.email}
                      {schedule.paused ? ", paused" : schedule.nextFireAt ? `, next ${schedule.nextFireAt.slice(0, 16).replace("T", " ")} UTC` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {runbook.steps ? (
            <>
              <h3>Steps</h3>
              <ol className="mini-list" aria-label="Steps">
                {runbook.steps.map((step) => (
                  <li key={step.id}>
                    <strong>{step.title}</strong> <span className="small muted mono">{step.id}</span> <span className="small muted">({step.kind})</span>
                    {step.approvals > 0 ? <span className="small"> · needs {step.approvals} approval{step.approvals > 1 ? "s" : ""}</span> : null}
                    {step.when ? (
                      <div className="small muted">
                        when <code>{step.when}</code>
                      </div>
                    ) : null}
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <>
              <h3>Command</h3>
              <pre className="code">{what.map((element) => JSON.stringify(element)).join(" ")}</pre>
            </>
          )}
          {runbook.script ? (
            <details className="params">
              <summary>Script {runbook.script.path}</summary>
              <pre className="code script">{runbook.script.content}</pre>
            </details>
          ) : null}
          <p className="small muted">Each {"{{parameter}}"} is passed as one argument, never through a shell.</p>
          <h3>Recent runs</h3>
          {recent.runs.length === 0 ? (
            <p className="small muted">None yet.</p>
          ) : (
            <ul className="mini-list">
              {recent.runs.map((run) => (
                <li key={run.id}>
                  <Link href={`/runs/${run.id}`}>#{run.id}</Link> <StatusBadge status={run.status} />
                  <span className="small muted"> {formatTime(run.createdAt)} · {run.requestedBy.name}</span>
                </li>
              ))}
            </ul>
          )}
          <Link href={`/runs?runbook=${runbook.slug}`} className="small">
            All runs of this runbook →
          </Link>
          {runners?.ok ? (
            <>
              <h3>Who can run this</h3>
              <ul className="mini-list" aria-label="Who can run this">
                {runners.data.map((runner) => (
                  <li key={runner.email} className="small">
                    {mayInspect ? (
                      <Link href={`/access?user=${encodeURIComponent(runner.email)}&action=run&runbook=${runbook.slug}`}>{runner.email}</Link>
                    ) : (
                      <span title={runner.name}>{runner.email}</span>
                    )}{" "}
                    <span className="muted">
                      {runner.role}
                      {runner.constraints.length ? ` · only with ${runner.constraints.join("; or ")}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </aside>
      </div>
    </>
  );
}
