import type { CliCommand } from "../support";

export const teamCommands: CliCommand[] = [];
