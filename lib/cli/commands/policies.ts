import type { CliCommand } from "../support";

export const policyCommands: CliCommand[] = [];
