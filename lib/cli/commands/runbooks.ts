import { parseArgs } from "node:util";
import { config } from "../../config/env";
import { exportRunbooks } from "../../services/runbooks/export-runbooks";
import { formatSyncReport, syncRunbooks } from "../../services/runbooks/sync-runbooks";
import { loadUserByEmail } from "../../services/users/user-fields";
import { cliActor, openMigrated, type CliCommand } from "../support";

export const runbookCommands: CliCommand[] = [
  {
    name: "runbooks sync",
    usage: "runbooks sync [--as EMAIL]                load runbook files into the database and report changes (--as: the Handrail user syncing, who may then not publish what it holds for review)",
    async run(args) {
      const { values } = parseArgs({ args, options: { as: { type: "string" } } });
      const handle = await openMigrated();
      const user = values.as ? await loadUserByEmail(handle.db, values.as.trim().toLowerCase()) : undefined;
      if (user && !user.active) throw new Error(`user ${user.email} is deactivated`);
      const actor = user ? { type: "user" as const, id: user.id, email: user.email } : cliActor();
      const report = await syncRunbooks(handle, config().runbooksDir, actor, user ? { userId: user.id } : undefined);
      for (const line of formatSyncReport(report)) console.log(line);
      return report.errors.length > 0 ? 1 : 0;
    },
  },
  {
    name: "runbooks export",
    usage: "runbooks export [--dir D] [--overwrite]     write runbooks authored in Handrail as YAML files (default dir: runbooks-export)",
    async run(args) {
      const { values } = parseArgs({ args, options: { dir: { type: "string" }, overwrite: { type: "boolean" } } });
      const handle = await openMigrated();
      const report = await exportRunbooks(handle, values.dir ?? "runbooks-export", cliActor(), { overwrite: values.overwrite ?? false });
      console.log(`exported ${report.written.length} runbook(s)`);
      for (const file of report.written) console.log(`  wrote ${file}`);
      for (const skipped of report.skipped) console.log(`  skipped ${skipped.slug}: ${skipped.reason}`);
      return report.skipped.length > 0 ? 1 : 0;
    },
  },
];
