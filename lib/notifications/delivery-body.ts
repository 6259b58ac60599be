import type { WebhookFormat } from "../db/schema";
import type { RunEventPayload } from "./run-events";
import { slackMessage } from "./slack-format";
import type { WebhookTestPayload } from "./test-event";
import type { TokenExpiringPayload } from "./token-events";
import type { SchedulePausedPayload } from "./schedule-events";
import type { ViewStatusChangedPayload } from "./view-events";

export type DeliveryPayload = RunEventPayload | WebhookTestPayload | TokenExpiringPayload | SchedulePausedPayload | ViewStatusChangedPayload;

/** The exact bytes sent (and signed): the event with its delivery id, or a Slack message. */
export function deliveryBody(format: WebhookFormat, payload: DeliveryPayload, deliveryId: number): string {
  return JSON.stringify(format === "slack" ? slackMessage(payload) : { ...payload, deliveryId });
}
