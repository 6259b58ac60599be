import { config } from "../../config/env";
import { isolationFor } from "../../executor/isolation/run-isolation";
import type { IsolationMode } from "../../config/isolation";

export interface IsolationStatus {
  mode: IsolationMode;
  description: string;
  /** Set when this configuration finds no mechanism it may use (a worker here would refuse to start). */
  problem?: string;
}

let cached: IsolationStatus | undefined;

/** How runs started by this process's configuration are isolated; public (the health endpoint reports it). */
export function isolationStatus(): IsolationStatus {
  if (cached) return cached;
  const settings = config();
  try {
    const { plan } = isolationFor(settings, settings.databaseUrl === undefined);
    cached = { mode: plan.mode, description: plan.description };
  } catch (error) {
    cached = { mode: "none", description: "no isolation mechanism is available", problem: (error as Error).message };
  }
  return cached;
}
