import Link from "next/link";
import { formatTime } from "./format";

/** The first two cells of every runs table: the run's number and its runbook, both links. */
export function RunAndRunbookCells({ run }: { run: { id: number; runbook: { slug: string } } }) {
  return (
    <>
      <td>
        <Link href={`/runs/${run.id}`} className="mono">
          #{run.id}
        </Link>
      </td>
      <td>
        <Link href={`/runbooks/${run.runbook.slug}`}>{run.runbook.slug}</Link>
      </td>
    </>
  );
}

/** Who asked for a run and when: the requester cell of the approval tables. */
export function RequesterCell({ run }: { run: { requestedBy: { email: string }; createdAt: string } }) {
  return (
    <td>
      {run.requestedBy.email}
      <div className="small muted">{formatTime(run.createdAt)}</div>
    </td>
  );
}
