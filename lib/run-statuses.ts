/** Run lifecycle names; pure so the browser, the services and the schema share one list. */
export const runStatuses = [
  "pending_approval",
  "queued",
  "running",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "interrupted",
  "rejected",
  "expired",
] as const;
export type RunStatus = (typeof runStatuses)[number];

export const activeRunStatuses: readonly RunStatus[] = ["pending_approval", "queued", "running"];
export const finishedRunStatuses: readonly RunStatus[] = runStatuses.filter((status) => !activeRunStatuses.includes(status));

export function isActiveStatus(status: RunStatus): boolean {
  return activeRunStatuses.includes(status);
}

/** A status as people read it: "pending approval", "timed out". */
export function statusLabel(status: RunStatus): string {
  return status.replace(/_/g, " ");
}
