import { parseArgs } from "node:util";
import { config } from "../../config/env";
import { startBackgroundWork } from "../../executor/background-work";
import { requestChildRun } from "../../services/runs/steps/request-child-run";
import { startScheduler } from "../../services/schedules/scheduler";
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
      const log = (message: string) => console.log(message);
      const background = await startBackgroundWork(handle, settings, { concurrency, requestChild: requestChildRun, log });
      const scheduler = startScheduler({ log });
      log("schedules fire from this process");
      await new Promise<void>((resolve) => {
        process.once("SIGTERM", resolve);
        process.once("SIGINT", resolve);
      });
      await scheduler.stop();
      await background.stop();
    },
  },
];
