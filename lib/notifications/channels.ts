/** Wakes the delivery loop for a delivery queued outside a run change (test events, redeliveries). Payload: the delivery id. */
export const WEBHOOK_DELIVERIES_CHANNEL = "handrail_webhook_deliveries";
