import type { Metadata } from "next";
import Link from "next/link";
import { Fragment } from "react";
import { definitionToYaml } from "@/lib/runbooks/source";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { getRunbookVersion } from "@/lib/services/runbooks/get-runbook-version";
import { Denied } from "../../../../../components/denied";
import { formatTime } from "../../../../../components/format";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string; hash: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, hash } = await params;
  return { title: `${slug} @ ${hash.slice(0, 12)}` };
}

export default async function RunbookVersionPage({ params }: Props) {
  const { slug, hash } = await params;
  const actor = await requireActor(`/runbooks/${slug}/versions/${hash}`);
  const loaded = await pageData(getRunbookVersion(actor, slug, hash));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const version = loaded.data;
  const { script, files, ...rest } = version.definition;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / <Link href={`/runbooks/${slug}`}>{slug}</Link> / <Link href={`/runbooks/${slug}/history`}>history</Link> / version
        </p>
        <h1>
          {slug} <span className="badge status-queued mono">{hash.slice(0, 12)}</span>
          {version.current ? <span className="badge status-succeeded">current</span> : <span className="badge status-cancelled">superseded</span>}
        </h1>
        <p className="muted small">
          sha256 <span className="mono">{hash}</span> · first seen {formatTime(version.createdAt)}
        </p>
      </div>
      <section className="panel">
        <h2>Definition</h2>
        {/* As its author wrote it, keys in their order; a version stored before that was kept is shown in the format's order. */}
        <pre className="code script" data-testid="version-yaml">{version.sourceYaml ?? definitionToYaml(rest)}</pre>
        {script ? (
          <>
            <h3>Script {script.path}</h3>
            <pre className="code script">{script.content}</pre>
          </>
        ) : null}
        {(files ?? []).map((file) => (
          <Fragment key={file.path}>
            <h3>File {file.path}</h3>
            <pre className="code script">{file.content}</pre>
          </Fragment>
        ))}
      </section>
    </>
  );
}
