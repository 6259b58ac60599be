import { parseArgs } from "node:util";
import { config } from "../../env";
import { Worker } from "../../executor/worker";
import { workerSettings } from "../../executor/worker-settings";
import { startWebhookDelivery } from "../../notifications/delivery-loop";
import { configuredKeyring } from "../../secrets/configured-keyring";
import { openMigrated, UsageError, type CliCommand } from "../support";

export const workerCommands: CliCommand[] = [
  {
    name: "worker",
    usage: "worker [--concurrency N]                  run a standalone worker (PostgreSQL only)",
    async run(args) {
      const { values } = parseArgs({ args, options: { concurrency: { type: "string" } } });
      const settings = config();
      if (!settings.databaseUrl) {
        throw new UsageError(
          "a separate worker needs PostgreSQL (DATABASE_URL): the embedded database allows one process, whose server already runs the worker",
        );
      }
      const concurrency = values.concurrency ? Number(values.concurrency) : settings.workerConcurrency;
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError("--concurrency must be a positive whole number");
      const handle = await openMigrated();
      const instance = new Worker({
        ...workerSettings(handle, settings),
        concurrency,
        log: (message) => console.log(message),
      });
      await instance.start();
      const webhooks = await startWebhookDelivery({ handle, keyring: configuredKeyring(settings), log: (message) => console.log(message) });
      console.log(`worker ${instance.id} started (concurrency ${concurrency}), sending webhook deliveries`);
      console.log(`run isolation: ${instance.isolation.plan.description}`);
      if (instance.isolation.plan.mode === "none") console.log("WARNING: runs are not isolated; see docs/security.md");
      await new Promise<void>((resolve) => {
        process.once("SIGTERM", resolve);
        process.once("SIGINT", resolve);
      });
      await instance.stop();
      await webhooks.stop();
    },
  },
];
