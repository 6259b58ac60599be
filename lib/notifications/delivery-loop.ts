import type { DatabaseHandle } from "../db/client";
import type { SecretKeyring } from "../secrets/keyring";
import { DEFAULT_BACKOFF_MS, retryDelay } from "./backoff";
import { WEBHOOK_DELIVERIES_CHANNEL } from "./channels";
import { deliveryBody } from "./delivery-body";
import { claimDueDeliveries, recordAttempt, releaseClaim, type AttemptResult, type ClaimedDelivery } from "./delivery-queue";
import { config } from "../config/env";
import { postWebhook } from "./post-webhook";
import type { WebhookNetworks } from "../config/webhook-networks";
import { webhookHeaders } from "./signing";
import { openWebhookSecret } from "./webhook-secret";

export interface WebhookDeliveryOptions {
  handle: DatabaseHandle;
  /** Opens each hook's signing secret. */
  keyring: SecretKeyring;
  log?: (message: string) => void;
  /** How often due retries are looked for; notifications wake the loop sooner. Default 1 s. */
  pollIntervalMs?: number;
  /** Waits between attempts; attempts are capped at its length + 1. Default DEFAULT_BACKOFF_MS. */
  backoffMs?: readonly number[];
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  /** Deliveries claimed (and sent in parallel) at once. Default 10. */
  batchSize?: number;
  /** Non-public networks hooks may reach. Default: HANDRAIL_WEBHOOK_ALLOW_NETWORKS. */
  networks?: WebhookNetworks;
}

export interface WebhookDelivery {
  stop(): Promise<void>;
}

/** A burst of notifications (live output) wakes the loop at most this often. */
const MIN_WAKE_GAP_MS = 100;

/**
 * Sends queued webhook deliveries: claims due ones (safe with any number of processes), signs and
 * POSTs them, and records each attempt, retrying failures with backoff.
 */
export async function startWebhookDelivery(options: WebhookDeliveryOptions): Promise<WebhookDelivery> {
  const { handle, keyring } = options;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const networks = options.networks ?? config().webhookNetworks;
  // Longer than any request can take, so a live claim is never taken over.
  const leaseMs = timeoutMs + 30_000;
  const shutdown = new AbortController();
  const log = (message: string) => options.log?.(`[webhooks] ${message}`);
  let pass: Promise<void> | undefined;
  let again = false;

  async function attempt(claimed: ClaimedDelivery): Promise<void> {
    let result: AttemptResult;
    try {
      // Slack checks no signature: its hooks are sent unsigned, and their secret is never shown to anyone.
      const secret = claimed.webhook.format === "slack" ? null : openWebhookSecret(keyring, claimed.webhook.id, claimed.webhook.sealed);
      const body = deliveryBody(claimed.webhook.format, claimed.payload, claimed.id);
      const headers = webhookHeaders(secret, { event: claimed.event, deliveryId: claimed.id, body });
      const outcome = await postWebhook(claimed.webhook.url, body, headers, { timeoutMs, shutdown: shutdown.signal, networks });
      if (outcome.kind === "interrupted") return await releaseClaim(handle.db, claimed);
      result =
        outcome.kind === "delivered"
          ? { delivered: true, responseStatus: outcome.status }
          : { delivered: false, responseStatus: outcome.status, error: outcome.error, retryInMs: retryDelay(backoffMs, claimed.attempts) };
    } catch (error) {
      // The signing secret cannot be opened (e.g. its key is gone): an attempt that failed here.
      const reason = `cannot sign: ${(error as Error).message}`.slice(0, 200);
      result = { delivered: false, responseStatus: null, error: reason, retryInMs: retryDelay(backoffMs, claimed.attempts) };
    }
    await recordAttempt(handle.db, claimed, result);
    if (!result.delivered && result.retryInMs === null) log(`delivery ${claimed.id} (${claimed.event}) failed after ${claimed.attempts} attempts: ${result.error}`);
  }

  async function drain(): Promise<void> {
    while (!shutdown.signal.aborted) {
      const claimed = await claimDueDeliveries(handle, { limit: options.batchSize ?? 10, leaseMs });
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((delivery) => attempt(delivery).catch((error: unknown) => log(`delivery ${delivery.id}: ${(error as Error).message}`))));
    }
  }

  function wake(): void {
    if (shutdown.signal.aborted) return;
    if (pass) {
      again = true;
      return;
    }
    pass = drain()
      .catch((error: unknown) => log(`claim failed: ${(error as Error).message}`))
      .finally(() => {
        pass = undefined;
        if (again) {
          again = false;
          setTimeout(wake, MIN_WAKE_GAP_MS).unref();
        }
      });
  }

  // Run events are not a wake-up: on the embedded database every extra query competes with the
  // run it describes. Deliveries queued with a run go out on the next poll (about a second).
  const unsubscribers = await Promise.all([WEBHOOK_DELIVERIES_CHANNEL].map((channel) => handle.subscribe(channel, wake)));
  const timer = setInterval(wake, options.pollIntervalMs ?? 1000);
  timer.unref();
  wake();

  return {
    async stop() {
      clearInterval(timer);
      for (const unsubscribe of unsubscribers) unsubscribe();
      shutdown.abort();
      await pass;
    },
  };
}
