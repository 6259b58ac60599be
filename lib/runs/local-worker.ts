import type { RunbookDefinition } from "../runbooks/definition";
import type { ParamValues } from "../runbooks/params";

/** A run its worker has just claimed: everything needed to start its process. */
export interface ClaimedRun {
  id: number;
  definition: RunbookDefinition;
  versionHash: string;
  /** Parameter values as the process gets them, secrets included. */
  params: ParamValues;
  timeoutMs: number;
  dryRun: boolean;
  /** A run of steps taken up again after it waited for a person: its output so far, which its new lines follow. */
  continued?: { lastSeq: number; bytes: number };
}

/**
 * A worker slot held while a run is created in this process, so the run can start as it commits
 * instead of going through the queue (a notification, a wake-up and a claim transaction later).
 */
export interface SlotReservation {
  readonly workerId: string;
  /** The run was committed `running` for this worker: start its process. */
  start(run: ClaimedRun): void;
  /** The slot is not used: the run was queued, or not created. */
  release(): void;
}

/** The worker running in this process, if any. */
export interface LocalWorker {
  /** A free slot, or undefined when the worker is full or stopping. */
  reserveSlot(): SlotReservation | undefined;
}

// On globalThis: Next.js bundles the server's boot and each route separately, each with its own module state.
const registry = globalThis as { handrailLocalWorker?: LocalWorker };

export function setLocalWorker(worker: LocalWorker): void {
  registry.handrailLocalWorker = worker;
}

export function clearLocalWorker(worker: LocalWorker): void {
  if (registry.handrailLocalWorker === worker) registry.handrailLocalWorker = undefined;
}

export function reserveLocalSlot(): SlotReservation | undefined {
  return registry.handrailLocalWorker?.reserveSlot();
}
