import { runEventNames } from "./run-events";
import { TOKEN_EXPIRING_EVENT } from "./token-events";

/** Everything a webhook can subscribe to: the run events and the token expiry warning. */
export const webhookEventNames = [...runEventNames, TOKEN_EXPIRING_EVENT] as const;
export type WebhookEventName = (typeof webhookEventNames)[number];
