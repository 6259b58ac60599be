/** Run lifecycle names; pure so the browser, the services and the schema share one list. */
export const runStatuses = [
  "pending_approval",
  "queued",
  "running",
  /** A run of steps that waits for a person (a manual step): no process, no worker slot. */
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "interrupted",
  "rejected",
  "expired",
] as const;
export type RunStatus = (typeof runStatuses)[number];

export const activeRunStatuses: readonly RunStatus[] = ["pending_approval", "queued", "running", "waiting"];
export const finishedRunStatuses: readonly RunStatus[] = runStatuses.filter((status) => !activeRunStatuses.includes(status));

export function isActiveStatus(status: RunStatus): boolean {
  return activeRunStatuses.includes(status);
}

export function isFinishedStatus(status: RunStatus): boolean {
  return finishedRunStatuses.includes(status);
}

/** A status as people read it: "pending approval", "timed out". */
export function statusLabel(status: RunStatus | StepStatus): string {
  return status.replace(/_/g, " ");
}

/**
 * How a step of a run stands; `pending` has not started, `waiting` waits for a person (to tick it,
 * or to approve it); `rejected` and `expired` are an approval step nobody approved.
 */
export const stepStatuses = ["pending", "running", "waiting", "succeeded", "failed", "skipped", "cancelled", "timed_out", "interrupted", "rejected", "expired"] as const;
export type StepStatus = (typeof stepStatuses)[number];
