import Link from "next/link";

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
