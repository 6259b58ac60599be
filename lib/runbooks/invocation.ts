import { paramEnv, renderArgv, type StepOutputs } from "./argv";
import type { RunbookDefinition } from "./definition";
import type { ParamValues } from "./params";

/** The worker variables every run receives when the worker has them set. */
export const INHERITED_ENV = ["PATH", "LANG", "LC_ALL", "TZ", "HOME", "USER", "LOGNAME", "SHELL", "TERM"] as const;

export type EnvOrigin = "worker" | "definition" | "secret" | "inherited" | "parameter" | "handrail";

export interface EnvEntry {
  name: string;
  value: string;
  origin: EnvOrigin;
}

export interface InvocationSources {
  /** The worker's environment, for allow-listed and explicitly inherited names. */
  workerEnv: Record<string, string | undefined>;
  /** Store secret values by name; for a preview, masks. */
  secretValue: (name: string, variable: string) => string;
  runId: string;
  workDir: string;
  scriptPath: string;
  /** The runbook's dry-run mode: its `dryRun.args` are appended and HANDRAIL_DRY_RUN=1 is set. */
  dryRun?: boolean;
  /** For a step of a run: its id, the file it writes outputs to, and earlier steps' outputs. */
  step?: { id: string; attempt: number; outputsFile: string; outputs: StepOutputs };
}

/**
 * Exactly the argv and environment a run gets, in precedence order (later entries win). Pure: the
 * executor spawns from it, and the editor's "what would run" view shows it with masked values.
 */
export function describeInvocation(definition: RunbookDefinition, values: ParamValues, sources: InvocationSources): { argv: string[]; env: EnvEntry[] } {
  const dryRunArgs = sources.dryRun ? (definition.dryRun?.args ?? []) : [];
  const outputs = sources.step?.outputs ?? {};
  const argv = definition.command
    ? [...renderArgv(definition.command, values, outputs), ...dryRunArgs]
    : [...(definition.script?.language ? [definition.script.language] : []), sources.scriptPath, ...renderArgv(definition.args ?? [], values, outputs), ...dryRunArgs];
  const env: EnvEntry[] = [];
  for (const name of INHERITED_ENV) {
    const value = sources.workerEnv[name];
    if (value !== undefined && value !== "") env.push({ name, value, origin: "worker" });
  }
  for (const [name, spec] of Object.entries(definition.env ?? {})) {
    if (typeof spec === "string") env.push({ name, value: spec, origin: "definition" });
    else if ("inherit" in spec) {
      const value = sources.workerEnv[name];
      if (value !== undefined) env.push({ name, value, origin: "inherited" });
    } else env.push({ name, value: sources.secretValue(spec.secret, name), origin: "secret" });
  }
  env.push({ name: "TMPDIR", value: sources.workDir, origin: "handrail" });
  for (const [name, value] of Object.entries(paramEnv(values))) env.push({ name, value, origin: "parameter" });
  env.push({ name: "HANDRAIL_RUN_ID", value: sources.runId, origin: "handrail" });
  env.push({ name: "HANDRAIL_RUNBOOK", value: definition.slug, origin: "handrail" });
  if (sources.dryRun) env.push({ name: "HANDRAIL_DRY_RUN", value: "1", origin: "handrail" });
  if (sources.step) {
    env.push({ name: "HANDRAIL_STEP", value: sources.step.id, origin: "handrail" });
    env.push({ name: "HANDRAIL_STEP_ATTEMPT", value: String(sources.step.attempt), origin: "handrail" });
    env.push({ name: "HANDRAIL_OUTPUTS", value: sources.step.outputsFile, origin: "handrail" });
  }
  return { argv, env };
}

/** Later entries override earlier ones, as in the spawned process. */
export function envRecord(entries: readonly EnvEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.name, entry.value]));
}
