import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { compareRevisions, listRevisions, type RevisionDto } from "@/lib/services/runbooks/authoring/history";
import { Denied } from "../../../../components/denied";
import { formatTime } from "../../../../components/format";
import { firstValues, type SearchParams } from "../../../../components/search-params";
import { RevisionKind } from "../history/revision-kind";
import styles from "./diff.module.css";
import { SideBySide } from "./side-by-side";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Compare ${(await params).slug}` };
}

function versionNumber(value: string | undefined): number | undefined {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

function Side({ title, slug, revision }: { title: string; slug: string; revision: RevisionDto }) {
  return (
    <section className={`panel ${styles.side}`} aria-label={title}>
      <h2>
        {title}: v{revision.number} {revision.current ? <span className="badge status-succeeded">current</span> : null}
      </h2>
      <dl className="facts">
        <dt>Author</dt>
        <dd>{revision.author}</dd>
        <dt>When</dt>
        <dd>{formatTime(revision.createdAt)}</dd>
        <dt>Change</dt>
        <dd>
          <RevisionKind revision={revision} />
        </dd>
        <dt>Content</dt>
        <dd>
          <Link href={`/runbooks/${slug}/versions/${revision.versionHash}`} className="mono" title={revision.versionHash}>
            {revision.versionHash.slice(0, 12)}
          </Link>
        </dd>
      </dl>
      <p className={styles.message}>{revision.message}</p>
    </section>
  );
}

export default async function RunbookDiffPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = firstValues(await searchParams);
  const actor = await requireActor(`/runbooks/${slug}/diff`);
  let from = versionNumber(query.from);
  let to = versionNumber(query.to);
  if (from === undefined || to === undefined) {
    // Without a choice: the previous version against the current one.
    const history = await pageData(listRevisions(actor, slug));
    if (!history.ok) return <Denied message={history.error} />;
    const [current, previous] = history.data.revisions;
    to ??= current?.number ?? 1;
    from ??= previous?.number ?? to;
  }
  const loaded = await pageData(compareRevisions(actor, slug, from, to));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const comparison = loaded.data;
  const full = query.full === "1";
  const base = `/runbooks/${slug}/diff?from=${from}&to=${to}`;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / <Link href={`/runbooks/${slug}`}>{slug}</Link> / <Link href={`/runbooks/${slug}/history`}>history</Link> / compare
        </p>
        <h1>
          v{comparison.from.number} → v{comparison.to.number}
        </h1>
      </div>
      <div className={styles.sides}>
        <Side title="From" slug={slug} revision={comparison.from} />
        <Side title="To" slug={slug} revision={comparison.to} />
      </div>
      <p className={styles.actions}>
        <Link href={`/runbooks/${slug}/diff?from=${to}&to=${from}`} className="button small">
          Swap sides
        </Link>
        <Link href={`/runbooks/${slug}/history`} className="button small">
          Back to history
        </Link>
        {full ? <Link href={base}>Show only changes</Link> : null}
      </p>
      {comparison.identical ? (
        <p className="notice" role="status" data-testid="identical">
          Identical content: v{comparison.from.number} and v{comparison.to.number} have the same content hash{" "}
          <span className="mono">{comparison.to.versionHash.slice(0, 12)}</span>.
        </p>
      ) : null}
      <section className="panel">
        <h2>Definition (YAML)</h2>
        <SideBySide
          rows={comparison.rows}
          leftTitle={`v${comparison.from.number} · ${comparison.from.author}`}
          rightTitle={`v${comparison.to.number} · ${comparison.to.author}`}
          {...(full ? {} : { expandHref: `${base}&full=1` })}
        />
      </section>
    </>
  );
}
