import type { RunIdentity } from "../isolation/resolve";
import type { IsolationMode } from "../../config/isolation";

/** A file the run finds in its own directory: its script, and files its runbook ships. */
export interface RunFile {
  /** Relative to the run's directory. */
  path: string;
  content: string;
  mode: number;
}

export interface SpawnerConfig {
  mode: IsolationMode;
  identity: RunIdentity | undefined;
  /** The platform's own directories, hidden from sandboxed runs. */
  hiddenPaths: string[];
}

/** What starts one run's (or one step's) process. */
export interface RunStart {
  id: number;
  workDir: string;
  argv: string[];
  env: Record<string, string>;
  files: RunFile[];
  /** A file in the run's directory (created empty for it) whose content comes back with its exit: a step's outputs. */
  outputsFile?: string;
}

export type StopSignal = "SIGTERM" | "SIGKILL";

/** What a sandbox started ahead is for: one run's command, or all the steps of a run (step-sessions.ts). */
export type SandboxKind = "run" | "steps";

export type ToSpawner =
  | { type: "configure"; config: SpawnerConfig }
  | ({
      type: "start";
      /** A step of a run of steps, run in the run's own sandbox (`workDir` is a step directory inside it), which stays for its next step. */
      inSession?: boolean;
    } & RunStart)
  /** The run has no more steps to start here: its sandbox ends. */
  | { type: "close"; id: number }
  | { type: "signal"; id: number; signal: StopSignal }
  | { type: "pause"; id: number }
  | { type: "resume"; id: number };

/** What recovery needs to find and kill what is left of a run after its worker died. */
export interface RunProcessRecord {
  host: string;
  pid: number;
  startTime: string;
  /** A uid leased to this run alone (uid ranges); null when runs share a uid. */
  uid: number | null;
}

export type FromSpawner =
  | { type: "ready"; runsRoot: string }
  /** A sandbox started ahead waits in this directory: name it for the next run (or run of steps) of its kind. */
  | { type: "warm"; workDir: string; kind: SandboxKind }
  /** That sandbox is gone before a run used it. */
  | { type: "cold"; workDir: string }
  | { type: "started"; id: number; process: RunProcessRecord }
  | { type: "output"; id: number; stream: "stdout" | "stderr"; data: string }
  | { type: "exit"; id: number; exitCode: number | null; signal: string | null; error: string | null; outputs?: CollectedOutputs }
  /** A run's sandbox for its steps ended (closed, stopped or lost): its next step needs another. */
  | { type: "session-ended"; id: number; workDir: string };

/** What a step left in its outputs file (`outputsFile` in its directory), read before the directory goes. */
export type CollectedOutputs = { text: string } | { problem: string };

/** The most a step's outputs file may hold. */
export const MAX_OUTPUTS_FILE_BYTES = 64 * 1024;

/**
 * A run directory's name: the spawner creates exactly these, directly in its runs root (`run-w…`
 * for a sandbox started ahead; a run can still name one that ended just before, and starts cold).
 */
export const RUN_DIR_NAME = /^run-(\d+-|w)[a-z0-9]{6,}$/;
/** A step's directory, directly in its run's sandbox directory (the step loop checks the same). */
export const STEP_DIR_NAME = /^step-[0-9a-z]{6,}$/;
