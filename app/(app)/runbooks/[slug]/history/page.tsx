import type { Metadata } from "next";
import Link from "next/link";
import { pageData } from "@/lib/api/page-data";
import { requireActor } from "@/lib/auth/current-actor";
import { listRevisions } from "@/lib/services/runbooks/authoring/history";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";
import { Denied } from "../../../../components/denied";
import { formatTime } from "../../../../components/format";
import { FileManagedNote } from "../file-managed-note";
import { Confirm, ReasonForm } from "../reason-form";
import { restoreRevisionAction } from "./actions";
import styles from "./history.module.css";
import { RevisionKind } from "./revision-kind";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `History of ${(await params).slug}` };
}

export default async function RunbookHistoryPage({ params }: Props) {
  const { slug } = await params;
  const actor = await requireActor(`/runbooks/${slug}/history`);
  const loaded = await pageData(listRevisions(actor, slug));
  if (!loaded.ok) return <Denied message={loaded.error} />;
  const history = loaded.data;
  const runbook = await pageData(getRunbook(actor, slug, { includeArchived: true }));
  const canRestore = runbook.ok && runbook.data.canEdit && history.source === "ui" && !history.archived;
  const [current, previous] = history.revisions;
  return (
    <>
      <div className="page-head">
        <p className="crumbs">
          <Link href="/runbooks">Runbooks</Link> / <Link href={`/runbooks/${slug}`}>{slug}</Link> / history
        </p>
        <h1>
          History of {history.title}
          {history.archived ? <span className="badge status-cancelled">archived</span> : null}
        </h1>
        <p className="lead">
          Every save is an immutable version with its author, time, message and content hash. Runs link to the exact version they ran.
        </p>
        {history.source === "file" ? <FileManagedNote sourcePath={history.sourcePath} /> : null}
        {history.archived ? <p className="notice">This runbook is archived: unarchive it on its page before restoring a version.</p> : null}
      </div>
      <form id="compare" method="get" action={`/runbooks/${slug}/diff`} />
      <table className={`table ${styles.table}`} aria-label="Versions">
        <thead>
          <tr>
            <th className={styles.pick}>From</th>
            <th className={styles.pick}>To</th>
            <th>Version</th>
            <th>When</th>
            <th>Author</th>
            <th>Change</th>
            <th>Message</th>
            <th>Content</th>
            {canRestore ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {history.revisions.map((revision) => (
            <tr key={revision.number} className={revision.current ? styles.current : undefined} data-testid={`revision-${revision.number}`}>
              <td className={styles.pick}>
                <input
                  type="radio"
                  form="compare"
                  name="from"
                  value={revision.number}
                  defaultChecked={revision.number === (previous ?? current)?.number}
                  aria-label={`compare from v${revision.number}`}
                />
              </td>
              <td className={styles.pick}>
                <input type="radio" form="compare" name="to" value={revision.number} defaultChecked={revision.current} aria-label={`compare to v${revision.number}`} />
              </td>
              <td className="nowrap">
                <strong>v{revision.number}</strong> {revision.current ? <span className="badge status-succeeded">current</span> : null}
              </td>
              <td className="nowrap small">{formatTime(revision.createdAt)}</td>
              <td className="small">{revision.author}</td>
              <td className={styles.kind}>
                <RevisionKind revision={revision} />
              </td>
              <td className={`small ${styles.message}`}>{revision.message}</td>
              <td>
                <Link href={`/runbooks/${slug}/versions/${revision.versionHash}`} className="mono" title={revision.versionHash}>
                  {revision.versionHash.slice(0, 12)}
                </Link>
              </td>
              {canRestore ? (
                <td>
                  {revision.versionHash === current?.versionHash ? (
                    <span className="small muted" title="this content is already current">
                      current content
                    </span>
                  ) : (
                    <Confirm label="Restore…" align="right" testId={`restore-${revision.number}`}>
                      <p className="small">
                        Makes the content of v{revision.number} current again as a new version v{(current?.number ?? 0) + 1}. Nothing is overwritten.
                      </p>
                      <ReasonForm
                        action={restoreRevisionAction.bind(null, slug, revision.number)}
                        field="message"
                        label="Why restore it?"
                        placeholder={`e.g. v${current?.number ?? ""} broke the staging rollout`}
                        submit={`Restore v${revision.number}`}
                      />
                    </Confirm>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {history.revisions.length > 1 ? (
        <p className={styles.compare}>
          <button type="submit" form="compare" className="button primary">
            Compare selected
          </button>
          <span className="small muted">Choose any two versions: From (left) and To (right).</span>
        </p>
      ) : (
        <p className="small muted">Only one version so far: nothing to compare yet.</p>
      )}
    </>
  );
}
