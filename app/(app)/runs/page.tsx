import type { Metadata } from "next";
import Link from "next/link";
import { RunAndRunbookCells } from "../../components/run-cells";
import { pageData } from "@/lib/api/page-data";
import { runFiltersQuery } from "@/lib/services/runs/run-fields";
import { requireActor } from "@/lib/auth/current-actor";
import { runStatuses, statusLabel } from "@/lib/run-statuses";
import { FilterSelect } from "../../components/filter-select";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import { listRuns } from "@/lib/services/runs/list-runs";
import { RunMarkers, StatusBadge } from "../../components/badges";
import { Denied } from "../../components/denied";
import { formatRunDuration, formatTime } from "../../components/format";
import { firstValues, type SearchParams } from "../../components/search-params";

export const metadata: Metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor("/runs");
  const raw = firstValues(await searchParams);
  const parsed = runFiltersQuery.safeParse(raw);
  const filters = parsed.success ? parsed.data : {};
  const [page, runbooks] = await Promise.all([pageData(listRuns(actor, filters)), listRunbooks(actor)]);
  if (!page.ok) return <Denied message={page.error} />;
  const olderLink = page.data.nextBefore
    ? `/runs?${new URLSearchParams({ ...raw, before: String(page.data.nextBefore) }).toString()}`
    : null;
  return (
    <>
      <div className="page-head">
        <h1>Run history</h1>
        <p className="muted">Newest first. Open a run for its full output and record.</p>
      </div>
      <form className="filters" method="get" action="/runs">
        <FilterSelect label="Runbook" name="runbook" value={filters.runbook} choices={runbooks.map((runbook) => runbook.slug).sort((a, b) => a.localeCompare(b))} />
        <FilterSelect label="Status" name="status" value={filters.status} choices={runStatuses.map((status) => ({ value: status, label: statusLabel(status) }))} />
        <FilterSelect
          label="View runs"
          name="views"
          value={filters.views}
          anyLabel="hidden"
          choices={[
            { value: "include", label: "included" },
            { value: "only", label: "only" },
          ]}
        />
        <label>
          <span className="field-label">User</span>
          <input name="user" type="search" placeholder="email" defaultValue={filters.user ?? ""} />
        </label>
        <button type="submit" className="button">
          Filter
        </button>
        <Link href="/runs" className="button ghost">
          Clear
        </Link>
      </form>
      {!parsed.success ? <p className="form-error">Some filters were invalid and were ignored.</p> : null}
      {page.data.runs.length === 0 ? (
        <p className="empty">No runs match.</p>
      ) : (
        <table className="table runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Runbook</th>
              <th>Status</th>
              <th>Requested by</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Exit</th>
            </tr>
          </thead>
          <tbody>
            {page.data.runs.map((run) => (
              <tr key={run.id} className={run.breakGlass ? "row-break-glass" : undefined}>
                <RunAndRunbookCells run={run} />
                <td>
                  <StatusBadge status={run.status} />
                  <RunMarkers run={run} />
                </td>
                <td>{run.requestedBy.email}</td>
                <td className="nowrap">{formatTime(run.startedAt ?? run.createdAt)}</td>
                <td className="nowrap">{formatRunDuration(run.startedAt, run.finishedAt)}</td>
                <td className="mono">{run.exitCode ?? (run.signal ? run.signal : "—")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {olderLink ? (
        <p className="pager">
          <Link href={olderLink} className="button ghost">
            Older runs →
          </Link>
        </p>
      ) : null}
    </>
  );
}
