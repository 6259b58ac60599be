import { parseArgs } from "node:util";
import { config } from "../../config/env";
import { pruneRunOutput } from "../../services/runs/prune-output";
import { cliActor, openMigrated, UsageError, type CliCommand } from "../support";

export const outputCommands: CliCommand[] = [
  {
    name: "output prune",
    usage: "output prune [--days N]                   delete output of runs finished more than N days ago (default HANDRAIL_OUTPUT_RETENTION_DAYS); digests and audit stay",
    async run(args) {
      const { values } = parseArgs({ args, options: { days: { type: "string" } } });
      const days = values.days ? Number(values.days) : config().outputRetentionDays;
      if (days === undefined) throw new UsageError("give --days N or set HANDRAIL_OUTPUT_RETENTION_DAYS");
      if (!Number.isInteger(days) || days < 1) throw new UsageError("--days must be a whole number of days, at least 1");
      const handle = await openMigrated();
      let total = 0;
      for (;;) {
        const report = await pruneRunOutput(handle.db, days, cliActor());
        total += report.runs.length;
        if (report.runs.length === 0) {
          console.log(`pruned the output of ${total} run(s) finished before ${report.cutoff}`);
          return;
        }
      }
    },
  },
];
