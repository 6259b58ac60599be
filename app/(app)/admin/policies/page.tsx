import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listPolicies } from "@/lib/services/policies/policy-queries";
import { Denied } from "../../../components/denied";
import { formatTime } from "../../../components/format";

export const metadata: Metadata = { title: "Policies" };
export const dynamic = "force-dynamic";

export default async function PoliciesPage() {
  const actor = await requireActor("/admin/policies");
  const loaded = await pageData(listPolicies(actor));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  return (
    <>
      <div className="page-head">
        <h1>Policies</h1>
        <p className="muted">
          Who may do what. A rule&apos;s conditions must all hold; any matching rule allows; any matching <em>cannot</em> rule denies. See{" "}
          <Link href="/access">Check access</Link> to test a decision.
        </p>
      </div>
      <p>
        <Link href="/admin/policies/new" className="button">
          New policy
        </Link>
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>Policy</th>
            <th>Applies to</th>
            <th>Rules</th>
            <th>Version</th>
            <th>Source</th>
            <th>Changed</th>
          </tr>
        </thead>
        <tbody>
          {loaded.data.map((policy) => (
            <tr key={policy.name}>
              <td>
                <Link href={`/admin/policies/${policy.name}`} className="mono">
                  {policy.name}
                </Link>
                {policy.archived ? <span className="badge status-cancelled"> archived</span> : null}
                <div className="small muted">{policy.description}</div>
              </td>
              <td className="small">
                {[
                  ...policy.attach.roles.map((role) => `role ${role}`),
                  ...policy.attach.teams.map((team) => `team ${team}`),
                  ...policy.attach.users.map((user) => user),
                ].join(", ")}
              </td>
              <td>{policy.ruleCount}</td>
              <td>v{policy.version}</td>
              <td>{policy.source}</td>
              <td className="nowrap small">{formatTime(policy.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
