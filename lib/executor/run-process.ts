import path from "node:path";
import type { RunStatus } from "../db/schema";
import { describeInvocation, envRecord } from "../runbooks/invocation";
import type { RunbookDefinition } from "../runbooks/definition";
import type { ParamValues } from "../runbooks/params";
import type { OutputWriter } from "./output-writer";
import type { StepOutputs } from "../runbooks/argv";
import type { CollectedOutputs, RunFile, RunProcessRecord } from "./spawner/protocol";
import type { RunHost } from "./spawner/run-host";

export const KILL_GRACE_MS = 5000;
/** The abort reason a worker gives its runs when it stops: they end `interrupted`, not `cancelled`. */
export const WORKER_SHUTDOWN = "worker-shutdown";

export interface ProcessOutcome {
  status: Extract<RunStatus, "succeeded" | "failed" | "cancelled" | "timed_out" | "interrupted">;
  exitCode: number | null;
  signal: string | null;
  errorMessage: string | null;
  /** A step's outputs file as it left it. */
  outputs?: CollectedOutputs;
}

/** The file in a step's directory that $HANDRAIL_OUTPUTS names. */
export const OUTPUTS_FILE = ".handrail-outputs";

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
  host: RunHost;
  /** Told where the run's processes are, so recovery can kill them if this worker dies. */
  onStarted?: (record: RunProcessRecord) => void;
  /** One step of a run of steps: `definition` is then the step's own command or script. */
  step?: { id: string; attempt: number; outputs: StepOutputs };
}

/** The script and the files the runbook ships, as the run finds them in its own directory. */
function runFiles(definition: RunbookDefinition, scriptName: string): RunFile[] {
  const files: RunFile[] = (definition.files ?? []).map((file) => ({ path: file.path, content: file.content, mode: 0o600 }));
  if (definition.script) files.push({ path: scriptName, content: definition.script.content, mode: 0o700 });
  return files;
}

function invocation(input: RunProcessInput, workDir: string) {
  const { definition } = input;
  const scriptName = definition.script ? `.handrail-${path.basename(definition.script.path)}` : "";
  const { argv, env } = describeInvocation(definition, input.values, {
    workerEnv: process.env,
    secretValue: (name, variable) => {
      const value = input.secretValues[name];
      if (value === undefined) throw new Error(`secret "${name}" (for ${variable}) is not available to this worker`);
      return value;
    },
    runId: String(input.runId),
    workDir,
    scriptPath: scriptName ? path.join(workDir, scriptName) : "",
    dryRun: input.dryRun ?? false,
    ...(input.step ? { step: { id: input.step.id, attempt: input.step.attempt, outputsFile: path.join(workDir, OUTPUTS_FILE), outputs: input.step.outputs } } : {}),
  });
  const files = runFiles(definition, scriptName);
  if (input.step) files.push({ path: OUTPUTS_FILE, content: "", mode: 0o600 });
  return { argv, env: envRecord(env), files };
}

type StopReason = "cancelled" | "timed_out" | "interrupted" | "output_failed";

const stopMessages: Record<StopReason, string> = {
  timed_out: "timed out: sending SIGTERM to the process group",
  cancelled: "cancelled: sending SIGTERM to the process group",
  interrupted: "the worker is shutting down: sending SIGTERM to the process group",
  output_failed: "output could not be stored: sending SIGTERM to the process group",
};

/** Runs one process tree through the spawner to completion, streaming its lines into the writer. */
export async function runProcess(input: RunProcessInput): Promise<ProcessOutcome> {
  let stopReason: StopReason | undefined;
  let started = false;
  const timers: NodeJS.Timeout[] = [];
  const unsubscribers: Array<() => void> = [];
  try {
    const workDir = await input.host.workDirFor(input.runId, { step: input.step !== undefined });
    const { argv, env, files } = invocation(input, workDir);
    const result = await new Promise<{ exitCode: number | null; signal: string | null; error: string | null; outputs?: CollectedOutputs }>((resolve) => {
      const run = input.host.run(
        { id: input.runId, workDir, argv, env, files, ...(input.step ? { outputsFile: OUTPUTS_FILE } : {}) },
        {
          onStarted: (record) => {
            started = true;
            input.onStarted?.(record);
          },
          onOutput: (stream, data) => {
            if (!input.writer.write(stream, data)) run.pause();
          },
          onExit: resolve,
        },
      );
      unsubscribers.push(input.writer.onDrain(() => run.resume()));
      const stop = (reason: StopReason) => {
        if (stopReason) return;
        stopReason = reason;
        input.writer.system(reason === "timed_out" ? `timed out after ${input.definition.timeout}: sending SIGTERM to the process group` : stopMessages[reason]);
        run.signal("SIGTERM");
        timers.push(setTimeout(() => run.signal("SIGKILL"), KILL_GRACE_MS));
      };
      timers.push(setTimeout(() => stop("timed_out"), input.timeoutMs));
      const onAbort = () => stop(input.cancelSignal.reason === WORKER_SHUTDOWN ? "interrupted" : "cancelled");
      if (input.cancelSignal.aborted) onAbort();
      input.cancelSignal.addEventListener("abort", onAbort, { once: true });
      unsubscribers.push(() => input.cancelSignal.removeEventListener("abort", onAbort));
      // A run whose output cannot be kept is stopped: nobody could see or audit what it did next.
      unsubscribers.push(input.writer.onFailure(() => stop("output_failed")));
    });
    const { exitCode, signal } = result;
    const collected = result.outputs ? { outputs: result.outputs } : {};
    // The worker gives the run the store's own error message.
    if (stopReason === "output_failed") return { status: "failed", exitCode, signal, errorMessage: null, ...collected };
    if (stopReason) return { status: stopReason, exitCode, signal, errorMessage: null, ...collected };
    if (result.error) {
      input.writer.system(started ? `the run's processes were lost: ${result.error}` : `could not start the process: ${result.error}`);
      return { status: "failed", exitCode: null, signal: null, errorMessage: result.error };
    }
    return { status: exitCode === 0 ? "succeeded" : "failed", exitCode, signal, errorMessage: null, ...collected };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    for (const unsubscribe of unsubscribers) unsubscribe();
  }
}
