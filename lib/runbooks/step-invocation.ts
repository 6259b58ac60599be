import type { StepOutputs } from "./argv";
import type { RunbookDefinition } from "./definition";
import { outputReference, placeholderName } from "./schema-parts";
import type { StepDefinition } from "./steps";

/** Pure and browser-safe: the worker runs a step from it, and the editor previews one. */

/** The step's own command or script, its env over the runbook's, its timeout or the runbook's. */
export function stepInvocation(definition: RunbookDefinition, step: StepDefinition, outputs: StepOutputs): RunbookDefinition {
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => {
      if (typeof value !== "string") return [name, value];
      const placeholder = placeholderName(value);
      const reference = placeholder === undefined ? undefined : outputReference(placeholder);
      if (!reference) return [name, value];
      const values = Object.hasOwn(outputs, reference.step) ? outputs[reference.step] : undefined;
      return [name, values && Object.hasOwn(values, reference.key) ? (values[reference.key] ?? "") : ""];
    }),
  );
  const { steps: _steps, command: _command, script: _script, args: _args, dryRun, ...shared } = definition;
  return {
    ...shared,
    ...(dryRun?.parameter ? { dryRun: { parameter: dryRun.parameter } } : {}),
    ...(step.command ? { command: step.command } : {}),
    ...(step.script ? { script: step.script } : {}),
    ...(step.args ? { args: step.args } : {}),
    env: { ...definition.env, ...env },
    timeout: step.timeout ?? definition.timeout,
  };
}

export type ChildParamValue = string | number | boolean;

/**
 * The parameters a `runbook:` step sends to the runbook it runs: literals as written, "{{name}}"
 * as this run's value of that parameter, "{{steps.<id>.outputs.<key>}}" as that output (missing:
 * empty). Values are data: each is substituted once, and the other runbook validates it as any
 * request's.
 */
export function childParams(step: StepDefinition, values: Readonly<Record<string, ChildParamValue | undefined>>, outputs: StepOutputs): Record<string, ChildParamValue> {
  return Object.fromEntries(
    Object.entries(step.params ?? {}).flatMap(([name, value]): Array<[string, ChildParamValue]> => {
      const placeholder = typeof value === "string" ? placeholderName(value) : undefined;
      if (placeholder === undefined) return [[name, value]];
      const reference = outputReference(placeholder);
      if (reference) {
        const stepOutputs = Object.hasOwn(outputs, reference.step) ? outputs[reference.step] : undefined;
        return [[name, stepOutputs && Object.hasOwn(stepOutputs, reference.key) ? (stepOutputs[reference.key] ?? "") : ""]];
      }
      const own = Object.hasOwn(values, placeholder) ? values[placeholder] : undefined;
      return own === undefined ? [] : [[name, own]];
    }),
  );
}

/** Stand-ins for the outputs a step reads, for a preview before any step has run: `<steps.check.outputs.lag>`. */
export function outputStandIns(step: StepDefinition): StepOutputs {
  const standIns = new Map<string, Map<string, string>>();
  const values = [...(step.command ?? []), ...(step.args ?? []), ...[...Object.values(step.env ?? {}), ...Object.values(step.params ?? {})].filter((value): value is string => typeof value === "string")];
  for (const value of values) {
    const placeholder = placeholderName(value);
    const reference = placeholder === undefined ? undefined : outputReference(placeholder);
    if (!reference) continue;
    const keys = standIns.get(reference.step) ?? new Map<string, string>();
    standIns.set(reference.step, keys.set(reference.key, `<${placeholder}>`));
  }
  // Own properties even for a step called "constructor".
  return Object.fromEntries([...standIns].map(([stepId, keys]) => [stepId, Object.fromEntries(keys)]));
}
