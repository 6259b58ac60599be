import { placeholderName } from "./definition";
import type { ParamValues } from "./params";

/** Substitutes whole-element placeholders. A value is always exactly one argv element, never parsed by a shell. */
export function renderArgv(template: readonly string[], values: ParamValues): string[] {
  return template.map((element) => {
    const name = placeholderName(element);
    if (!name) return element;
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
