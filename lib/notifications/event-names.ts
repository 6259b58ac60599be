import { runEventNames } from "./run-events";
import { SCHEDULE_PAUSED_EVENT } from "./schedule-events";
import { TOKEN_EXPIRING_EVENT } from "./token-events";
import { VIEW_STATUS_CHANGED_EVENT } from "./view-events";

/** Everything a webhook can subscribe to: the run events, the token expiry warning, a schedule's pause and a view's change of status. */
export const webhookEventNames = [...runEventNames, TOKEN_EXPIRING_EVENT, SCHEDULE_PAUSED_EVENT, VIEW_STATUS_CHANGED_EVENT] as const;
export type WebhookEventName = (typeof webhookEventNames)[number];
