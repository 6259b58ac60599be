import type { HandrailConfig } from "../../config/env";
import { installDir } from "./install-dir";
import { resolveIsolation, type IsolationPlan } from "./resolve";
import { SYSTEM_DIR } from "./run-dirs";

export interface RunIsolation {
  plan: IsolationPlan;
  /** The platform's own directories: hidden from sandboxed runs. */
  hiddenPaths: string[];
}

/** The isolation a worker of this configuration gives its runs; throws IsolationUnavailableError if there is none it may use. */
export function isolationFor(settings: HandrailConfig, embedded: boolean): RunIsolation {
  return {
    plan: resolveIsolation(settings.isolation, settings.runAs, embedded),
    hiddenPaths: [settings.dataDir, installDir(), settings.runbooksDir, SYSTEM_DIR],
  };
}
