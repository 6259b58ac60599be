import { closeDatabase } from "../db";
import { auditCommands } from "./commands/audit";
import { databaseCommands } from "./commands/database";
import { doctorCommands } from "./commands/doctor";
import { outputCommands } from "./commands/output";
import { policyCommands } from "./commands/policies";
import { runbookCommands } from "./commands/runbooks";
import { secretCommands } from "./commands/secrets";
import { teamCommands } from "./commands/teams";
import { tokenCommands } from "./commands/tokens";
import { userCommands } from "./commands/users";
import { workerCommands } from "./commands/worker";
import { UsageError, type CliCommand } from "./support";

const commands: CliCommand[] = [
  ...databaseCommands,
  ...userCommands,
  ...teamCommands,
  ...tokenCommands,
  ...secretCommands,
  ...runbookCommands,
  ...policyCommands,
  ...auditCommands,
  ...outputCommands,
  ...workerCommands,
  ...doctorCommands,
];

const USAGE = `usage: handrail <command> [options]

commands:
${commands.map((command) => `  ${command.usage}`).join("\n")}

configuration comes from the environment: DATABASE_URL, HANDRAIL_DATA_DIR, HANDRAIL_RUNBOOKS_DIR, HANDRAIL_SECRET_KEY, HANDRAIL_ISOLATION, HANDRAIL_RUN_AS`;

/** The longest command name that prefixes argv wins, so "user add" is chosen over a bare "user". */
function findCommand(argv: string[]): { command: CliCommand; args: string[] } | undefined {
  const matches = commands
    .map((command) => ({ command, words: command.name.split(" ") }))
    .filter(({ words }) => words.every((word, index) => argv[index] === word))
    .sort((a, b) => b.words.length - a.words.length);
  const best = matches[0];
  return best ? { command: best.command, args: argv.slice(best.words.length) } : undefined;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help") {
    console.log(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const found = findCommand(argv);
    if (!found) throw new UsageError(`unknown command "${argv.join(" ")}"`);
    return (await found.command.run(found.args)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) console.error(`handrail: ${error.message}\n\n${USAGE}`);
    else console.error(`handrail: ${(error as Error).message}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await closeDatabase();
  }
}
