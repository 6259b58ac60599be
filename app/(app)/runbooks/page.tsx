import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { abilityFor } from "@/lib/services/actor";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import { RiskBadge } from "../../components/badges";
import { FilterSelect } from "../../components/filter-select";
import { firstValues, type SearchParams } from "../../components/search-params";
import { setArchivedAction } from "./[slug]/actions";
import { Confirm, ReasonForm } from "./[slug]/reason-form";
import { choicesOf, filterRunbooks, isFiltered, runbookFilterOf } from "./runbook-filter";
import styles from "./runbooks.module.css";

export const metadata: Metadata = { title: "Runbooks" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<SearchParams> };

export default async function RunbooksPage({ searchParams }: Props) {
  const actor = await requireActor("/runbooks");
  const query = firstValues(await searchParams);
  const archived = query.archived === "1";
  const all = await listRunbooks(actor, { archived });
  const filter = runbookFilterOf(query);
  const runbooks = filterRunbooks(all, filter);
  const runnable = all.filter((runbook) => runbook.canRun).length;
  const ability = await abilityFor(actor);
  const canEdit = ability.can("edit", "Runbook");
  const canPropose = ability.can("propose", "Runbook");
  return (
    <>
      <div className="page-head">
        <h1>{archived ? "Archived runbooks" : "Runbooks"}</h1>
        <p className="muted">
          {archived
            ? "Archived runbooks cannot be run. Their versions and past runs are kept; an editor can bring one back."
            : runnable === 0
              ? "Procedures to read: your role runs none of them. Every run is recorded."
              : runnable === all.length
                ? "Procedures you can run yourself. Every run is recorded."
                : `Procedures to read, ${runnable} of them yours to run (marked Open). Every run is recorded.`}
        </p>
      </div>
      <div className="toolbar">
        {canEdit ? (
          <Link href="/runbooks/new" className="button primary">
            New runbook
          </Link>
        ) : canPropose ? (
          <Link href="/runbooks/new" className="button primary">
            Propose a runbook
          </Link>
        ) : null}
        <span className="spacer" />
        {archived ? <Link href="/runbooks">← Active runbooks</Link> : <Link href="/runbooks?archived=1">Archived runbooks</Link>}
      </div>
      {all.length > 0 ? (
        <form className="filters" method="get" action="/runbooks" role="search" aria-label="Filter runbooks">
          {archived ? <input type="hidden" name="archived" value="1" /> : null}
          <label>
            <span className="field-label">Search</span>
            <input name="q" type="search" placeholder="title, description, tag, owner" defaultValue={filter.q ?? ""} maxLength={200} />
          </label>
          <FilterSelect label="Risk" name="risk" value={filter.risk} choices={["low", "medium", "high"]} />
          <FilterSelect label="Owner" name="owner" value={filter.owner} choices={choicesOf(all.map((runbook) => runbook.owner))} />
          <FilterSelect label="Tag" name="tag" value={filter.tag} choices={choicesOf(all.flatMap((runbook) => runbook.tags))} />
          <button type="submit" className="button">
            Filter
          </button>
          {isFiltered(filter) ? (
            <Link href={archived ? "/runbooks?archived=1" : "/runbooks"} className="button ghost">
              Clear
            </Link>
          ) : null}
        </form>
      ) : null}
      {runbooks.length === 0 && all.length > 0 ? (
        <p className="empty">No runbook matches this filter.</p>
      ) : runbooks.length === 0 ? (
        <p className="empty">
          {archived
            ? "No archived runbooks."
            : "No runbooks are loaded. Add YAML files to the runbooks directory and restart, or run `npx handrail runbooks sync`."}
        </p>
      ) : (
        <ul className="cards">
          {runbooks.map((runbook) => (
            <li key={runbook.slug} className="card" data-testid={`runbook-${runbook.slug}`}>
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
                {runbook.source === "file" ? (
                  <span className={styles.file} title={`managed by the file ${runbook.sourcePath ?? ""}: read-only here`}>
                    from file
                  </span>
                ) : null}
                {runbook.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
                <span className="spacer" />
                {runbook.archived ? (
                  runbook.canEdit ? (
                    <Confirm label="Unarchive…" align="right" testId={`unarchive-${runbook.slug}`}>
                      <ReasonForm action={setArchivedAction.bind(null, runbook.slug, false)} field="reason" label="Why bring it back?" submit="Unarchive" />
                    </Confirm>
                  ) : (
                    <span className="badge status-cancelled">archived</span>
                  )
                ) : runbook.canRun ? (
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
