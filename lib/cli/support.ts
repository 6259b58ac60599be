import os from "node:os";
import type { AuditActor } from "../audit/record";
import { database, type DatabaseHandle } from "../db";
import { prepareDatabase } from "../services/prepare-database";

export class UsageError extends Error {}

/** One CLI command: `name` is the words that select it, e.g. "user add". */
export interface CliCommand {
  name: string;
  usage: string;
  /** Returns the exit code (0 when omitted). */
  run(args: string[]): Promise<number | void>;
}

/** Commands run by someone with shell access to the server; recorded as such in the audit log. */
export function cliActor(): AuditActor {
  return { type: "system", id: `cli:${os.userInfo().username}` };
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export function requiredOption(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

export async function openMigrated(): Promise<DatabaseHandle> {
  const handle = await database();
  await prepareDatabase(handle);
  return handle;
}
