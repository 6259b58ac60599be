import type { ParameterDefinition, RunbookDefinition } from "@/lib/runbooks/definition";
import { describeInvocation, INHERITED_ENV, type EnvEntry } from "@/lib/runbooks/invocation";
import { childParams, outputStandIns, stepInvocation, type ChildParamValue } from "@/lib/runbooks/step-invocation";
import { stepKind, type StepKind } from "@/lib/runbooks/steps";
import { maskSecrets, SECRET_MASK, validateParams, type ParamError, type ParamValues } from "@/lib/runbooks/params";

export const PREVIEW_WORK_DIR = "/tmp/handrail-run-…";

/** One step as a run of these values would start it; a manual step has no process. */
export interface SampleStep {
  id: string;
  title: string;
  kind: StepKind;
  when: string | null;
  argv: string[];
  /** What this step's environment adds to the runbook's: its own env, and HANDRAIL_STEP / HANDRAIL_OUTPUTS. */
  env: EnvEntry[];
  /** A `runbook:` step: the runbook it requests and the parameters it sends. */
  runbook?: { slug: string; params: Record<string, ChildParamValue> };
}

export interface SampleInvocation {
  argv: string[];
  env: EnvEntry[];
  /** For a runbook of steps: each step's invocation (argv above is then empty). */
  steps?: SampleStep[];
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
  const masked = maskSecrets(definition.parameters, values);
  const sources = { workerEnv, secretValue: () => SECRET_MASK, runId: "<run id>", workDir: PREVIEW_WORK_DIR, scriptPath };
  if (!definition.steps) return { ...describeInvocation(definition, masked, sources), errors };
  const shared = describeInvocation({ ...definition, command: [] }, masked, sources).env;
  const steps = definition.steps.map((step): SampleStep => {
    const base = { id: step.id, title: step.title, kind: stepKind(step), when: step.when ?? null };
    if (base.kind === "manual") return { ...base, argv: [], env: [] };
    if (base.kind === "runbook") return { ...base, argv: [], env: [], runbook: { slug: step.runbook ?? "", params: childParams(step, masked, outputStandIns(step)) } };
    const outputs = outputStandIns(step);
    const invocation = stepInvocation(definition, step, outputs);
    const { argv, env } = describeInvocation(invocation, masked, {
      ...sources,
      scriptPath: step.script ? `${PREVIEW_WORK_DIR}/.handrail-${step.script.path}` : "",
      step: { id: step.id, attempt: 1, outputsFile: `${PREVIEW_WORK_DIR}/.handrail-outputs`, outputs },
    });
    const own = new Set([...Object.keys(step.env ?? {}), "HANDRAIL_STEP", "HANDRAIL_STEP_ATTEMPT", "HANDRAIL_OUTPUTS"]);
    return { ...base, argv, env: env.filter((entry) => own.has(entry.name)) };
  });
  return { argv: [], env: shared, errors, steps };
}
