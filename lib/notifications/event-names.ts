import { runEventNames } from "./run-events";
import { SCHEDULE_PAUSED_EVENT } from "./schedule-events";
import { TOKEN_EXPIRING_EVENT } from "./token-events";

/** Everything a webhook can subscribe to: the run events, the token expiry warning and a schedule's pause. */
export const webhookEventNames = [...runEventNames, TOKEN_EXPIRING_EVENT, SCHEDULE_PAUSED_EVENT] as const;
export type WebhookEventName = (typeof webhookEventNames)[number];
