import type { ParameterDefinition, RunbookDefinition } from "@/lib/runbooks/definition";
import { describeInvocation, INHERITED_ENV, type EnvEntry } from "@/lib/runbooks/invocation";
import { maskSecrets, SECRET_MASK, validateParams, type ParamError, type ParamValues } from "@/lib/runbooks/params";

export const PREVIEW_WORK_DIR = "/tmp/handrail-run-…";

export interface SampleInvocation {
  argv: string[];
  env: EnvEntry[];
  /** Sample values that fail their parameter's rules; those parameters are left out, as a run would refuse them. */
  errors: ParamError[];
}

/** What the run form sends before anyone types: defaults, and unticked booleans as false. */
export function initialSample(parameters: readonly ParameterDefinition[]): Record<string, string> {
  return Object.fromEntries(
    parameters.map((parameter) => [
      parameter.name,
      parameter.type === "boolean" ? String(parameter.default === true) : parameter.default === undefined ? "" : String(parameter.default),
    ]),
  );
}

/** Each parameter checked on its own, so one bad value does not blank the whole preview. */
function sampleValues(parameters: readonly ParameterDefinition[], raw: Record<string, string>): { values: ParamValues; errors: ParamError[] } {
  const values: ParamValues = {};
  const errors: ParamError[] = [];
  for (const parameter of parameters) {
    const checked = validateParams([parameter], { [parameter.name]: raw[parameter.name] ?? "" });
    if (checked.ok) Object.assign(values, checked.values);
    else errors.push(...checked.errors);
  }
  return { values, errors };
}

/** The exact argv and environment a run with these values would get, with every secret masked. */
export function sampleInvocation(definition: RunbookDefinition, raw: Record<string, string>): SampleInvocation {
  const { values, errors } = sampleValues(definition.parameters, raw);
  const inherited = Object.entries(definition.env ?? {}).flatMap(([name, spec]) => (typeof spec === "object" && "inherit" in spec ? [name] : []));
  const workerEnv = Object.fromEntries([...INHERITED_ENV, ...inherited].map((name) => [name, `<the worker's ${name}>`]));
  const scriptPath = definition.script ? `${PREVIEW_WORK_DIR}/.handrail-${definition.script.path}` : "";
  const { argv, env } = describeInvocation(definition, maskSecrets(definition.parameters, values), {
    workerEnv,
    secretValue: () => SECRET_MASK,
    runId: "<run id>",
    workDir: PREVIEW_WORK_DIR,
    scriptPath,
  });
  return { argv, env, errors };
}
