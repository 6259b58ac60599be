import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { accessCheckQuery } from "@/lib/services/access/access-fields";
import { requireActor } from "@/lib/auth/current-actor";
import { actions } from "@/lib/policy/ability-types";
import { checkAccess, userCapabilities } from "@/lib/services/access/check-access";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";
import { RiskBadge } from "../../components/badges";
import { Denied } from "../../components/denied";

export const metadata: Metadata = { title: "Check access" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function AccessPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireActor("/access");
  const raw = await searchParams;
  const form = { user: first(raw.user) || actor.user.email, action: first(raw.action) || "run", runbook: first(raw.runbook), params: first(raw.params) };
  const runbooks = await listRunbooks(actor);
  const asked = form.runbook !== "";
  const parsed = accessCheckQuery.safeParse({ ...form, params: form.params || undefined });
  const result = asked && parsed.success ? await pageData(checkAccess(actor, parsed.data)) : null;
  const capabilities = await pageData(userCapabilities(actor, form.user));
  return (
    <>
      <div className="page-head">
        <h1>Check access</h1>
        <p className="muted">Ask whether a user may act on a runbook, with which parameter values, and which policy rule decides.</p>
      </div>
      <form className="filters" method="get" action="/access">
        <label>
          <span className="field-label">User</span>
          <input name="user" type="email" defaultValue={form.user} required />
        </label>
        <label>
          <span className="field-label">Action</span>
          <select name="action" defaultValue={form.action}>
            {actions.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Runbook</span>
          <select name="runbook" defaultValue={form.runbook} required>
            <option value="">choose…</option>
            {[...runbooks].sort((a, b) => a.slug.localeCompare(b.slug)).map((runbook) => (
              <option key={runbook.slug}>{runbook.slug}</option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Parameters (JSON)</span>
          <input name="params" type="text" placeholder='{"environment":"staging"}' defaultValue={form.params} className="mono" />
        </label>
        <button type="submit" className="button primary">
          Check
        </button>
      </form>
      {asked && !parsed.success ? <p className="form-error">{parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}</p> : null}
      {result && !result.ok ? <Denied message={result.error} /> : null}
      {result?.ok ? (
        <section className={`panel verdict ${result.data.allowed ? "verdict-allow" : "verdict-deny"}`} aria-label="Decision">
          <strong className="verdict-word">{result.data.allowed ? "Allowed" : "Denied"}</strong>
          <span>{result.data.message}</span>
          {result.data.rule ? (
            <span className="small muted">
              decided by <Link href={`/admin/policies/${result.data.rule.policy}`}>{result.data.rule.policy}</Link> v{result.data.rule.version}, rule{" "}
              {result.data.rule.rule}
            </span>
          ) : (
            <span className="small muted">no rule matched, so the answer is no</span>
          )}
        </section>
      ) : null}
      {capabilities.ok ? (
        <div className="columns">
          <section className="panel">
            <h2>What {capabilities.data.user.name} can do</h2>
            <p className="small muted">
              role {capabilities.data.user.role}
              {capabilities.data.user.teams.length ? ` · teams ${capabilities.data.user.teams.join(", ")}` : " · no teams"}
              {capabilities.data.user.active ? "" : " · deactivated"}
            </p>
            <table className="table compact">
              <thead>
                <tr>
                  <th>Runbook</th>
                  <th>View</th>
                  <th>Run</th>
                </tr>
              </thead>
              <tbody>
                {capabilities.data.runbooks.map((runbook) => (
                  <tr key={runbook.slug}>
                    <td>
                      <span className="mono">{runbook.slug}</span> <RiskBadge risk={runbook.risk as "low" | "medium" | "high"} />
                    </td>
                    <td>{runbook.view ? "yes" : "no"}</td>
                    <td>{runbook.run ? (runbook.constraints.length ? `only with ${runbook.constraints.join("; or ")}` : "yes") : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel side">
            <h2>Rules that apply</h2>
            <ol className="rule-list">
              {capabilities.data.rules.map((rule) => (
                <li key={`${rule.policy}-${rule.rule}`}>
                  <span className="mono small">{rule.text}</span>
                  <span className="small muted">
                    {" "}
                    — {rule.policy} v{rule.version} rule {rule.rule}
                    {rule.reason ? ` (${rule.reason})` : ""}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </div>
      ) : (
        <Denied message={capabilities.error} />
      )}
    </>
  );
}
