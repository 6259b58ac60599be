import Link from "next/link";
import type { RunbookDetail } from "@/lib/services/runbooks/runbook-dto";
import { setArchivedAction } from "./actions";
import { Confirm, ReasonForm } from "./reason-form";
import styles from "./runbook-actions.module.css";

/** Edit, propose, history and archive, each shown only to whom the runbook's flags allow (the services check again). */
export function RunbookActions({ runbook }: { runbook: RunbookDetail }) {
  const { slug } = runbook;
  return (
    <div className={`toolbar ${styles.actions}`} data-testid="runbook-actions">
      {runbook.canEdit && !runbook.archived ? (
        <Link href={`/runbooks/${slug}/edit`} className="button primary small">
          Edit
        </Link>
      ) : null}
      {runbook.canPropose && !runbook.canEdit && !runbook.archived ? (
        <Link href={`/runbooks/${slug}/propose`} className="button primary small">
          Propose a change
        </Link>
      ) : null}
      <Link href={`/runbooks/${slug}/history`} className="button small">
        History
      </Link>
      {runbook.canEdit ? (
        runbook.archived ? (
          <Confirm label="Unarchive…" buttonClass="button small" testId="unarchive">
            <p className="small">Brings the runbook back: it can be run and edited again, at its current version.</p>
            <ReasonForm action={setArchivedAction.bind(null, slug, false)} field="reason" label="Why bring it back?" submit="Unarchive runbook" />
          </Confirm>
        ) : (
          <Confirm label="Archive…" buttonClass="button danger small" testId="archive">
            <p className="small">
              Archived runbooks cannot be run or edited and disappear from the list. Nothing is deleted: versions and runs stay, and an editor can unarchive
              it.
            </p>
            <ReasonForm action={setArchivedAction.bind(null, slug, true)} field="reason" label="Why archive it?" submit="Archive runbook" buttonClass="button danger" />
          </Confirm>
        )
      ) : null}
    </div>
  );
}
