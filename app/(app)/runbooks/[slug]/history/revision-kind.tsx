import type { RevisionDto } from "@/lib/services/runbooks/authoring/history";

const badgeClass: Record<RevisionDto["kind"], string> = {
  created: "status-succeeded",
  edited: "status-running",
  restored: "status-interrupted",
  synced: "status-queued",
  published: "status-cancelled",
};

/** What kind of change a history entry was: "restored from v3", "published — reviewed by X", "synced from file". */
export function RevisionKind({ revision }: { revision: Pick<RevisionDto, "kind" | "restoredFrom" | "publishedBy"> }) {
  const detail =
    revision.kind === "restored" && revision.restoredFrom !== null
      ? `from v${revision.restoredFrom}`
      : revision.kind === "published" && revision.publishedBy
        ? `— reviewed by ${revision.publishedBy}`
        : revision.kind === "synced"
          ? "from file"
          : null;
  return (
    <span>
      <span className={`badge ${badgeClass[revision.kind]}`}>{revision.kind}</span>
      {detail ? <span className="small"> {detail}</span> : null}
    </span>
  );
}
