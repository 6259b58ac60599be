import { Readable } from "node:stream";
import { format } from "node:util";
import { main } from "../cli/main";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `handrail <args>` inside the test's own process, with what it prints captured and `input`
 * as its standard input: the same `main` the binary calls, without paying for a Node start and the
 * TypeScript loader on every command (seconds each on a busy 2-core machine). The binary itself is
 * exercised by lib/cli/cli.test.ts. Calls must not overlap: the console is swapped while one runs.
 */
export async function runCliInProcess(args: string[], input?: string): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, stdin: Object.getOwnPropertyDescriptor(process, "stdin") };
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  console.log = console.info = (...parts: unknown[]) => void stdout.push(`${format(...parts)}\n`);
  console.warn = console.error = (...parts: unknown[]) => void stderr.push(`${format(...parts)}\n`);
  process.stdout.write = ((chunk: string | Uint8Array) => stdout.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  if (input !== undefined) Object.defineProperty(process, "stdin", { value: Readable.from([Buffer.from(input)]), configurable: true });
  try {
    const status = await main(args);
    return { status, stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error });
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    if (saved.stdin) Object.defineProperty(process, "stdin", saved.stdin);
  }
}
