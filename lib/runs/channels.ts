/** Notification channels. Payloads are run ids. */
export const RUN_QUEUED_CHANNEL = "handrail_run_queued";
export const RUN_EVENTS_CHANNEL = "handrail_run_events";
export const RUN_CANCEL_CHANNEL = "handrail_run_cancel";
