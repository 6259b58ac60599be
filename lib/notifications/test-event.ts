/** The event `POST /api/v1/webhooks/{id}/test` sends: proves the URL, the format and the signature work. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export interface WebhookTestPayload {
  event: typeof WEBHOOK_TEST_EVENT;
  at: string;
  url: string;
  webhook: { id: string; name: string };
  message: string;
}

export function webhookTestPayload(webhook: { id: string; name: string }, publicUrl: string, by: string): WebhookTestPayload {
  return {
    event: WEBHOOK_TEST_EVENT,
    at: new Date().toISOString(),
    url: `${publicUrl}/admin/webhooks/${webhook.id}`,
    webhook,
    message: `Test delivery for webhook "${webhook.name}", sent by ${by}.`,
  };
}
