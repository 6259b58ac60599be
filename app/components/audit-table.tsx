import Link from "next/link";
import type { ChainRow } from "@/lib/audit/verify";
import { runStatuses, type RunStatus } from "@/lib/run-statuses";
import { StatusBadge } from "./badges";

/** A finished run says how it ended (cancelled, timed out…), not just that it did not succeed. */
function finishedAs(event: ChainRow): RunStatus | null {
  if (event.action !== "run.finished") return null;
  const status = (event.details as { status?: unknown } | null)?.status;
  return runStatuses.find((known) => known === status) ?? null;
}

function subjectLink(event: ChainRow) {
  if (!event.subjectType || !event.subjectId) return "—";
  const text = `${event.subjectType} ${event.subjectId}`;
  if (event.subjectType === "run") return <Link href={`/runs/${event.subjectId}`}>{text}</Link>;
  if (event.subjectType === "runbook") return <Link href={`/runbooks/${event.subjectId}`}>{text}</Link>;
  if (event.subjectType === "policy") return <Link href={`/admin/policies/${event.subjectId}`}>{text}</Link>;
  return text;
}

function OutcomeBadge({ event }: { event: ChainRow }) {
  const status = finishedAs(event);
  return status ? <StatusBadge status={status} /> : <span className={`badge outcome-${event.outcome}`}>{event.outcome}</span>;
}

const time = (at: Date | string) => (at instanceof Date ? at : new Date(at)).toISOString().replace("T", " ").replace("Z", "");

/** Audit events as a table: who, what, on which subject, the outcome, and the details and hash on demand. */
export function AuditTable({ events }: { events: ChainRow[] }) {
  return (
    <table className="table audit-table">
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Outcome</th>
          <th>Subject</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td className="mono nowrap">{time(event.at)}</td>
            <td className="small">
              {event.actorEmail ?? event.actorId ?? event.actorType}
              {event.actorType === "token" ? <span className="tag">token</span> : null}
              {event.actorType === "service" ? (
                <span className="tag tag-service" title="A service account, acting through one of its API tokens">
                  service account
                </span>
              ) : null}
              {event.ip ? <div className="muted">{event.ip}</div> : null}
            </td>
            <td className="mono">{event.action}</td>
            <td>
              <OutcomeBadge event={event} />
            </td>
            <td className="small">{subjectLink(event)}</td>
            <td className="small">
              <details>
                <summary className="mono">{JSON.stringify(event.details).slice(0, 80)}</summary>
                <pre className="code">{JSON.stringify(event.details, null, 2)}</pre>
                <div className="mono muted">
                  #{event.seq} · hash {event.hash.slice(0, 16)}… · prev {event.prevHash.slice(0, 16)}…
                  {event.versionHash ? ` · version ${event.versionHash.slice(0, 12)}` : ""}
                </div>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
