import type { ParameterDefinition } from "./definition";
import { matchesWholly } from "./pattern";

/** Pure (its one dependency, the pattern engine, is plain JavaScript), so the browser validates with exactly the server's rules. */
export type ParamValue = string | number | boolean;
export type ParamValues = Record<string, ParamValue>;
export interface ParamError {
  field: string;
  message: string;
}
export type ParamValidation = { ok: true; values: ParamValues } | { ok: false; errors: ParamError[] };

export const SECRET_MASK = "********";
const MAX_TEXT_LENGTH = 4096;

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function toNumber(value: unknown, integer: boolean): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && (!integer || Number.isInteger(value)) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const shape = integer ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
  if (!shape.test(text)) return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) && (!integer || Number.isSafeInteger(parsed)) ? parsed : undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  if (["true", "on", "yes", "1"].includes(text)) return true;
  if (["false", "off", "no", "0"].includes(text)) return false;
  return undefined;
}

function checkOne(parameter: ParameterDefinition, raw: unknown): { value: ParamValue } | { error: string } {
  switch (parameter.type) {
    case "string":
    case "secret": {
      if (typeof raw !== "string") return { error: "must be text" };
      if (raw.length > MAX_TEXT_LENGTH) return { error: `must be at most ${MAX_TEXT_LENGTH} characters` };
      if (raw.includes("\0")) return { error: "must not contain NUL characters" };
      if (!raw.isWellFormed()) return { error: "must be valid Unicode text (it holds a lone surrogate)" };
      if (parameter.pattern !== undefined && !matchesWholly(parameter.pattern, raw)) {
        return { error: `must match the pattern ${parameter.pattern}` };
      }
      if (parameter.allowed && !parameter.allowed.map(String).includes(raw)) {
        return { error: `must be one of: ${parameter.allowed.join(", ")}` };
      }
      return { value: raw };
    }
    case "integer":
    case "number": {
      const integer = parameter.type === "integer";
      const value = toNumber(raw, integer);
      if (value === undefined) return { error: integer ? "must be a whole number" : "must be a number" };
      if (parameter.min !== undefined && value < parameter.min) return { error: `must be at least ${parameter.min}` };
      if (parameter.max !== undefined && value > parameter.max) return { error: `must be at most ${parameter.max}` };
      if (parameter.allowed && !parameter.allowed.map(Number).includes(value)) {
        return { error: `must be one of: ${parameter.allowed.join(", ")}` };
      }
      return { value };
    }
    case "boolean": {
      const value = toBoolean(raw);
      return value === undefined ? { error: "must be true or false" } : { value };
    }
    case "enum": {
      const allowed = (parameter.allowed ?? []).map(String);
      const text = typeof raw === "number" ? String(raw) : raw;
      if (typeof text !== "string" || !allowed.includes(text)) return { error: `must be one of: ${allowed.join(", ")}` };
      return { value: text };
    }
  }
}

/** Validates submitted values against the definitions; unknown names are errors, defaults fill gaps. */
export function validateParams(parameters: readonly ParameterDefinition[], submitted: Record<string, unknown>): ParamValidation {
  const errors: ParamError[] = [];
  const values: ParamValues = {};
  const known = new Set(parameters.map((parameter) => parameter.name));
  for (const name of Object.keys(submitted)) {
    if (!known.has(name)) errors.push({ field: `params.${name}`, message: `unknown parameter "${name}"` });
  }
  for (const parameter of parameters) {
    const field = `params.${parameter.name}`;
    const raw = submitted[parameter.name];
    if (isBlank(raw)) {
      if (parameter.default !== undefined) {
        const checked = checkOne(parameter, parameter.default);
        if ("value" in checked) values[parameter.name] = checked.value;
      } else if (parameter.required) {
        errors.push({ field, message: `${parameter.name} is required` });
      }
      continue;
    }
    const checked = checkOne(parameter, raw);
    if ("error" in checked) errors.push({ field, message: `${parameter.name} ${checked.error}` });
    else values[parameter.name] = checked.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

export function maskSecrets(parameters: readonly ParameterDefinition[], values: ParamValues): ParamValues {
  const secret = new Set(parameters.filter((parameter) => parameter.type === "secret").map((parameter) => parameter.name));
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, secret.has(name) ? SECRET_MASK : value]));
}

export function secretValues(parameters: readonly ParameterDefinition[], values: ParamValues): ParamValues {
  const secret = new Set(parameters.filter((parameter) => parameter.type === "secret").map((parameter) => parameter.name));
  return Object.fromEntries(Object.entries(values).filter(([name]) => secret.has(name)));
}
