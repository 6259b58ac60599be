import { openMigrated, type CliCommand } from "../support";

export const databaseCommands: CliCommand[] = [
  {
    name: "migrate",
    usage: "migrate                                   apply database migrations",
    async run() {
      await openMigrated();
      console.log("migrations applied");
    },
  },
];
