import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { RunStatus } from "../db/schema";
import { describeInvocation, envRecord } from "../runbooks/invocation";
import type { RunbookDefinition } from "../runbooks/definition";
import type { ParamValues } from "../runbooks/params";
import type { OutputWriter } from "./output-writer";

export const KILL_GRACE_MS = 5000;
/** The abort reason a worker gives its runs when it stops: they end `interrupted`, not `cancelled`. */
export const WORKER_SHUTDOWN = "worker-shutdown";

export interface ProcessOutcome {
  status: Extract<RunStatus, "succeeded" | "failed" | "cancelled" | "timed_out" | "interrupted">;
  exitCode: number | null;
  signal: string | null;
  errorMessage: string | null;
}

export interface RunProcessInput {
  runId: number;
  definition: RunbookDefinition;
  values: ParamValues;
  timeoutMs: number;
  writer: OutputWriter;
  /** Values of the store secrets the definition's `env` names, already decrypted. */
  secretValues: Record<string, string>;
  /** Aborted when someone cancels the run, or with WORKER_SHUTDOWN when the worker stops. */
  cancelSignal: AbortSignal;
  /** Run in the runbook's dry-run mode. */
  dryRun?: boolean;
}

/**
 * Writes an inline or file script into the run's directory and returns what to spawn. Synchronous,
 * like the directory it goes in: a small local file costs microseconds, while each trip through
 * the thread pool waits for a turn of the event loop, which on the embedded database may be busy
 * with queries for milliseconds. Both sit between the claim and the first line.
 */
function prepareInvocation(input: RunProcessInput, workDir: string): { argv: string[]; env: Record<string, string> } {
  const { definition } = input;
  const scriptPath = definition.script ? path.join(workDir, `.handrail-${path.basename(definition.script.path)}`) : "";
  if (definition.script) fs.writeFileSync(scriptPath, definition.script.content, { mode: 0o700 });
  const { argv, env } = describeInvocation(definition, input.values, {
    workerEnv: process.env,
    secretValue: (name, variable) => {
      const value = input.secretValues[name];
      if (value === undefined) throw new Error(`secret "${name}" (for ${variable}) is not available to this worker`);
      return value;
    },
    runId: String(input.runId),
    workDir,
    scriptPath,
    dryRun: input.dryRun ?? false,
  });
  return { argv, env: envRecord(env) };
}

type StopReason = "cancelled" | "timed_out" | "interrupted" | "output_failed";

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Runs one process group to completion, streaming its lines into the writer. */
export async function runProcess(input: RunProcessInput): Promise<ProcessOutcome> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `handrail-run-${input.runId}-`));
  let stopReason: StopReason | undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    const { argv, env } = prepareInvocation(input, workDir);
    const [file, ...args] = argv as [string, ...string[]];
    const child = execa(file, args, {
      cwd: workDir,
      env,
      extendEnv: false,
      detached: true,
      stdin: "ignore",
      buffer: false,
      reject: false,
    });
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    const pipes = [child.stdout, child.stderr];
    const unsubscribeDrain = input.writer.onDrain(() => pipes.forEach((pipe) => pipe?.resume()));
    child.stdout?.on("data", (chunk: string) => {
      if (!input.writer.write("stdout", chunk)) pipes.forEach((pipe) => pipe?.pause());
    });
    child.stderr?.on("data", (chunk: string) => {
      if (!input.writer.write("stderr", chunk)) pipes.forEach((pipe) => pipe?.pause());
    });

    const messages: Record<StopReason, string> = {
      timed_out: `timed out after ${input.definition.timeout}: sending SIGTERM to the process group`,
      cancelled: "cancelled: sending SIGTERM to the process group",
      interrupted: "the worker is shutting down: sending SIGTERM to the process group",
      output_failed: "output could not be stored: sending SIGTERM to the process group",
    };
    const stop = (reason: StopReason) => {
      if (stopReason) return;
      stopReason = reason;
      input.writer.system(messages[reason]);
      killGroup(child.pid, "SIGTERM");
      timers.push(setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS));
    };
    timers.push(setTimeout(() => stop("timed_out"), input.timeoutMs));
    const onAbort = () => stop(input.cancelSignal.reason === WORKER_SHUTDOWN ? "interrupted" : "cancelled");
    if (input.cancelSignal.aborted) onAbort();
    input.cancelSignal.addEventListener("abort", onAbort, { once: true });
    // A run whose output cannot be kept is stopped: nobody could see or audit what it did next.
    const unsubscribeFailure = input.writer.onFailure(() => stop("output_failed"));
    // When the main process exits, nothing it left behind may keep running or hold its pipes open.
    child.on("exit", () => killGroup(child.pid, "SIGKILL"));

    const result = await child.finally(() => {
      unsubscribeDrain();
      unsubscribeFailure();
    });
    const exitCode = typeof result.exitCode === "number" ? result.exitCode : null;
    const signal = result.signal ?? null;
    // The worker gives the run the store's own error message.
    if (stopReason === "output_failed") return { status: "failed", exitCode, signal, errorMessage: null };
    if (stopReason) return { status: stopReason, exitCode, signal, errorMessage: null };
    if (result.failed && exitCode === null && !signal) {
      const message = (result as { originalMessage?: string }).originalMessage ?? result.shortMessage ?? "unknown error";
      input.writer.system(`could not start the process: ${message}`);
      return { status: "failed", exitCode: null, signal: null, errorMessage: message };
    }
    return { status: exitCode === 0 ? "succeeded" : "failed", exitCode, signal, errorMessage: null };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
}
