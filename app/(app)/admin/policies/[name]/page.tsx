import type { Metadata } from "next";
import Link from "next/link";
import YAML from "yaml";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { abilityFor } from "@/lib/services/actor";
import { getPolicy } from "@/lib/services/policies/policy-queries";
import { Denied } from "../../../../components/denied";
import { formatTime } from "../../../../components/format";
import { savePolicyAction } from "../actions";
import { PolicyEditor } from "../policy-editor";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ version?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Policy ${(await params).name}` };
}

export default async function PolicyPage({ params, searchParams }: Props) {
  const { name } = await params;
  const { version } = await searchParams;
  const actor = await requireActor(`/admin/policies/${name}`);
  const loaded = await pageData(getPolicy(actor, name, version && /^\d+$/.test(version) ? Number(version) : undefined));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const policy = loaded.data;
  const canEdit = (await abilityFor(actor)).can("manage", "Policy") && policy.shownVersion === policy.version;
  const deniedReason = policy.shownVersion !== policy.version ? "an old version is shown; open the current one to edit" : `no rule lets role ${actor.user.role} manage policies`;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/admin/policies">Policies</Link> / <span className="mono">{policy.name}</span>
        </p>
        <h1>
          {policy.name} <span className="badge status-queued">v{policy.shownVersion}</span>
        </h1>
        <p className="lead">{policy.description}</p>
        {policy.source === "file" ? (
          <p className="notice">Managed in a policies file: the next `handrail policies sync` replaces edits made here.</p>
        ) : null}
      </div>
      <div className="columns">
        <section className="panel">
          <PolicyEditor
            key={policy.shownVersion}
            initialYaml={YAML.stringify(policy.document)}
            canEdit={canEdit}
            deniedReason={deniedReason}
            action={savePolicyAction.bind(null, policy.name)}
          />
        </section>
        <aside className="panel side">
          <h2>Versions</h2>
          <ol className="mini-list" reversed>
            {policy.versions.map((entry) => (
              <li key={entry.version}>
                <Link href={`/admin/policies/${policy.name}?version=${entry.version}`}>v{entry.version}</Link>
                {entry.version === policy.version ? <span className="small muted"> (current)</span> : null}
                <div className="small muted">
                  {formatTime(entry.createdAt)} · {entry.author}
                </div>
                <div className="small">{entry.reason}</div>
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </>
  );
}
