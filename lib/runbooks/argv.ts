import { outputReference, placeholderName } from "./schema-parts";
import type { ParamValues } from "./params";

/** Earlier steps' outputs by step id, then key. */
export type StepOutputs = Record<string, Record<string, string>>;

/**
 * Substitutes whole-element placeholders: a parameter, or an earlier step's output. A value is
 * always exactly one argv element, never parsed by a shell, and substituted once: a value that
 * looks like a placeholder stays that text.
 */
export function renderArgv(template: readonly string[], values: ParamValues, outputs: StepOutputs = {}): string[] {
  return template.map((element) => {
    const name = placeholderName(element);
    if (!name) return element;
    const reference = outputReference(name);
    if (reference) {
      const step = Object.hasOwn(outputs, reference.step) ? outputs[reference.step] : undefined;
      return step && Object.hasOwn(step, reference.key) ? (step[reference.key] ?? "") : "";
    }
    const value = values[name];
    return value === undefined ? "" : String(value);
  });
}
export function paramEnvName(name: string): string {
  return `HANDRAIL_PARAM_${name.toUpperCase()}`;
}

export function paramEnv(values: ParamValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [paramEnvName(name), String(value)]));
}
