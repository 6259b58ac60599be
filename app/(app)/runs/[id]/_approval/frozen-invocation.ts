import type { RunbookDefinition } from "@/lib/runbooks/definition";
import { describeInvocation, INHERITED_ENV, type EnvEntry } from "@/lib/runbooks/invocation";
import { SECRET_MASK, type ParamValues } from "@/lib/runbooks/params";

const WORK_DIR = "/tmp/handrail-run-…";

/** A run's stored parameters are already masked; anything not a scalar cannot be a parameter value. */
function scalars(params: Record<string, unknown>): ParamValues {
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string | number | boolean] => ["string", "number", "boolean"].includes(typeof entry[1])),
  );
}

/**
 * Exactly what a waiting run will execute once approved: the argv and environment of its pinned
 * version with its frozen (masked) parameters. Worker-provided values and secrets are shown as
 * placeholders, as the editor's "what would run" does.
 */
export function frozenInvocation(definition: RunbookDefinition, run: { id: number; params: Record<string, unknown>; dryRun: boolean }): { argv: string[]; env: EnvEntry[] } {
  const inherited = Object.entries(definition.env ?? {}).flatMap(([name, spec]) => (typeof spec === "object" && "inherit" in spec ? [name] : []));
  const workerEnv = Object.fromEntries([...INHERITED_ENV, ...inherited].map((name) => [name, `<the worker's ${name}>`]));
  return describeInvocation(definition, scalars(run.params), {
    workerEnv,
    secretValue: () => SECRET_MASK,
    runId: String(run.id),
    workDir: WORK_DIR,
    scriptPath: definition.script ? `${WORK_DIR}/.handrail-${definition.script.path}` : "",
    dryRun: run.dryRun,
  });
}
