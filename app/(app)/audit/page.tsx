import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { auditQuery } from "@/lib/services/audit/audit-fields";
import { requireActor } from "@/lib/auth/current-actor";
import { listAuditEvents } from "@/lib/services/audit/list-audit-events";
import { verifyAuditLog } from "@/lib/services/audit/verify-audit-log";
import { Denied } from "../../components/denied";
import { AuditTable } from "../../components/audit-table";
import { firstValues, type SearchParams } from "../../components/search-params";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const filterNames = ["actor", "action", "runbook", "outcome", "from", "to", "q"] as const;


export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor("/audit");
  const raw = firstValues(await searchParams);
  const parsed = auditQuery.safeParse(raw);
  const { format: _format, limit, before, ...filters } = parsed.success ? parsed.data : { format: "json" as const, limit: undefined, before: undefined };
  const page = await pageData(listAuditEvents(actor, filters, { limit: limit ?? 50, before }));
  if (!page.ok) return <Denied message={page.error} />;
  const verification = raw.verify ? await pageData(verifyAuditLog(actor)) : null;
  const filterQuery = new URLSearchParams(Object.fromEntries(filterNames.flatMap((name) => (raw[name] ? [[name, raw[name]]] : []))));
  const olderLink = page.data.nextBefore ? `/audit?${new URLSearchParams({ ...Object.fromEntries(filterQuery), before: String(page.data.nextBefore) })}` : null;
  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <p className="muted">Every action, newest first. Append-only and hash-chained: verify it, export it, anchor its head.</p>
      </div>
      <form className="filters" method="get" action="/audit">
        <label>
          <span className="field-label">Actor</span>
          <input name="actor" type="search" placeholder="email" defaultValue={raw.actor ?? ""} />
        </label>
        <label>
          <span className="field-label">Action</span>
          <input name="action" type="search" placeholder="run.requested" defaultValue={raw.action ?? ""} />
        </label>
        <label>
          <span className="field-label">Runbook</span>
          <input name="runbook" type="search" placeholder="slug" defaultValue={raw.runbook ?? ""} />
        </label>
        <label>
          <span className="field-label">Outcome</span>
          <select name="outcome" defaultValue={raw.outcome ?? ""}>
            <option value="">any</option>
            <option>success</option>
            <option>denied</option>
            <option>failure</option>
          </select>
        </label>
        <label>
          <span className="field-label">From (UTC)</span>
          <input name="from" type="text" placeholder="2026-11-01T00:00:00Z" defaultValue={raw.from ?? ""} className="mono" />
        </label>
        <label>
          <span className="field-label">To (UTC)</span>
          <input name="to" type="text" placeholder="2026-11-30T23:59:59Z" defaultValue={raw.to ?? ""} className="mono" />
        </label>
        <label>
          <span className="field-label">Search</span>
          <input name="q" type="search" placeholder="text" defaultValue={raw.q ?? ""} />
        </label>
        <button type="submit" className="button">
          Filter
        </button>
        <Link href="/audit" className="button ghost">
          Clear
        </Link>
      </form>
      {!parsed.success ? <p className="form-error">{parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}</p> : null}
      <div className="toolbar">
        <a className="button small" href={`/api/v1/audit?${new URLSearchParams({ ...Object.fromEntries(filterQuery), format: "csv" })}`}>
          Export CSV
        </a>
        <a className="button small" href={`/api/v1/audit?${new URLSearchParams({ ...Object.fromEntries(filterQuery), format: "jsonl" })}`}>
          Export JSON Lines
        </a>
        <form method="get" action="/audit">
          {[...filterQuery.entries()].map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="verify" value="1" />
          <button type="submit" className="button small">
            Verify chain
          </button>
        </form>
      </div>
      {verification?.ok ? (
        <section className={`panel verdict ${verification.data.ok ? "verdict-allow" : "verdict-deny"}`} aria-label="Chain verification">
          <strong className="verdict-word">{verification.data.ok ? "Chain intact" : "Chain broken"}</strong>
          {verification.data.ok ? (
            <span>
              {verification.data.count} events verified; head <span className="mono">{verification.data.head}</span>
            </span>
          ) : (
            <span>
              breaks at event {verification.data.brokenAt}: {verification.data.reason} ({verification.data.detail})
              {verification.data.breakCount > 1
                ? `; ${verification.data.breakCount} breaks in all, at events ${verification.data.breaks.map((entry) => `${entry.id} (${entry.reason})`).join(", ")}`
                : null}
            </span>
          )}
        </section>
      ) : null}
      {page.data.events.length === 0 ? <p className="empty">No events match.</p> : <AuditTable events={page.data.events} />}
      {olderLink ? (
        <p className="pager">
          <Link href={olderLink} className="button ghost">
            Older events →
          </Link>
        </p>
      ) : null}
    </>
  );
}
