import type { DatabaseHandle } from "../db/client";
import type { HandrailConfig } from "../config/env";
import { startWebhookDelivery } from "../notifications/delivery-loop";
import { configuredKeyring } from "../secrets/configured-keyring";
import { Worker, type WorkerOptions } from "./worker";
import { workerSettings } from "./worker-settings";

export interface BackgroundWork {
  worker: Worker;
  /** Stops claiming, lets running runs be recorded, stops sending webhooks. */
  stop(): Promise<void>;
}

/**
 * What every process that executes runs starts, the web server and `handrail worker` alike: a
 * worker configured from settings, and the webhook delivery loop. Logs how runs are isolated.
 */
export async function startBackgroundWork(
  handle: DatabaseHandle,
  settings: HandrailConfig,
  options: Pick<WorkerOptions, "concurrency" | "recoverAllOnStart" | "takesLocalRuns" | "requestChild"> & { log: (message: string) => void },
): Promise<BackgroundWork> {
  const { log } = options;
  const worker = new Worker({ ...workerSettings(handle, settings), ...options });
  await worker.start();
  log(`worker ${worker.id} started (concurrency ${options.concurrency})`);
  log(`run isolation: ${worker.isolation.plan.description}`);
  if (worker.isolation.plan.mode === "none") log("WARNING: runs are not isolated; see docs/security.md (install bubblewrap, or start as root)");
  const webhooks = await startWebhookDelivery({ handle, keyring: configuredKeyring(settings), log });
  log("webhook deliveries are sent from this process");
  return {
    worker,
    stop: async () => {
      await worker.stop();
      await webhooks.stop();
    },
  };
}
