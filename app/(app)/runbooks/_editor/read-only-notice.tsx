import Link from "next/link";
import type { ExistingRunbook } from "./load-existing";
import styles from "./editor.module.css";

/** Why the editor opened read-only, and where the change can be made instead. */
export function ReadOnlyNotice({ runbook, role, wanted }: { runbook: ExistingRunbook; role: string; wanted: "edit" | "propose" }) {
  let reason;
  if (runbook.source === "file") {
    reason = (
      <>
        Managed by the file <code>{runbook.sourcePath ?? "(unknown)"}</code>; edit it in git and run <code>handrail runbooks sync</code>.
      </>
    );
  } else if (runbook.archived) {
    reason = <>This runbook is archived. Unarchive it from its page before changing it.</>;
  } else if (wanted === "edit" && runbook.canPropose) {
    reason = (
      <>
        You may not edit this runbook directly. <Link href={`/runbooks/${runbook.slug}/propose`}>Propose a change</Link> for an operator to review.
      </>
    );
  } else if (wanted === "propose" && runbook.canEdit) {
    reason = (
      <>
        You may edit this runbook directly: <Link href={`/runbooks/${runbook.slug}/edit`}>edit it</Link>.
      </>
    );
  } else {
    reason = <>No rule lets role {role} {wanted} runbook {runbook.slug}.</>;
  }
  return (
    <p className={`notice ${styles.readOnlyNotice}`} role="note">
      <strong>Read-only.</strong> {reason}
    </p>
  );
}
