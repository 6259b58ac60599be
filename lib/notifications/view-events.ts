import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { queueEventToHooks } from "./queue-event";
import type { ViewStatus } from "../views/view-result";

export const VIEW_STATUS_CHANGED_EVENT = "view.status_changed";

export interface ViewStatusChangedPayload {
  event: typeof VIEW_STATUS_CHANGED_EVENT;
  at: string;
  url: string;
  view: { runbook: { slug: string; title: string; owner: string }; from: ViewStatus; to: ViewStatus; headline: string | null; run: number };
}

/**
 * Queues `view.status_changed` to the hooks that want it: those for every runbook and the runbook
 * owner's team's, in the caller's transaction (with the result that changed it).
 */
export async function queueViewStatusChanged(tx: Db, payload: Omit<ViewStatusChangedPayload, "event" | "at">): Promise<void> {
  const full: ViewStatusChangedPayload = { event: VIEW_STATUS_CHANGED_EVENT, at: new Date().toISOString(), ...payload };
  await queueEventToHooks(tx, VIEW_STATUS_CHANGED_EVENT, sql`owner = ${payload.view.runbook.owner}`, full, payload.view.run);
}
