import { config } from "../../env";
import { formatSyncReport, syncRunbooks } from "../../services/runbooks/sync-runbooks";
import { cliActor, openMigrated, type CliCommand } from "../support";

export const runbookCommands: CliCommand[] = [
  {
    name: "runbooks sync",
    usage: "runbooks sync                             load runbook files into the database and report changes",
    async run() {
      const handle = await openMigrated();
      const report = await syncRunbooks(handle, config().runbooksDir, cliActor());
      for (const line of formatSyncReport(report)) console.log(line);
      return report.errors.length > 0 ? 1 : 0;
    },
  },
];
