import type { Draft, DraftEnvValue, DraftParameter, DraftScript, Scalar } from "./draft";
import type { LocalCodec } from "./text-values";

/** Immutable edits of a draft. A field set to undefined is removed, so the YAML stays minimal. */

export function withField(draft: Draft, key: string, value: unknown): Draft {
  const next: Record<string, unknown> = { ...draft };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as Draft;
}

export function withParameterField(parameter: DraftParameter, key: string, value: unknown): DraftParameter {
  const next: Record<string, unknown> = { ...parameter };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as DraftParameter;
}

export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((existing, position) => (position === index ? item : existing));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, position) => position !== index);
}

/** Moves an item by delta places; out-of-range moves leave the list as it was. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(target, 0, item);
  return next;
}

export function parametersOf(draft: Draft): DraftParameter[] {
  return draft.parameters ?? [];
}

export function withParameters(draft: Draft, parameters: DraftParameter[]): Draft {
  return withField(draft, "parameters", parameters.length > 0 ? parameters : undefined);
}

export function addParameter(draft: Draft): Draft {
  const taken = new Set(parametersOf(draft).map((parameter) => String(parameter.name)));
  let number = parametersOf(draft).length + 1;
  while (taken.has(`param_${number}`)) number += 1;
  return withParameters(draft, [...parametersOf(draft), { name: `param_${number}`, type: "string", required: false }]);
}

const STRINGLIKE = ["string", "secret"];
const NUMERIC = ["integer", "number"];

/** Which optional parameter fields apply to a type; the form hides the rest unless they hold a value. */
export function parameterFieldApplies(type: Scalar | undefined, field: "default" | "pattern" | "allowed" | "min" | "max"): boolean {
  const kind = String(type ?? "");
  switch (field) {
    case "default":
      return kind !== "secret";
    case "pattern":
      return STRINGLIKE.includes(kind);
    case "allowed":
      return kind !== "boolean" && kind !== "secret";
    case "min":
    case "max":
      return NUMERIC.includes(kind);
  }
}

/** Changing the type drops what no longer applies, and a default that cannot carry over. */
export function withParameterType(parameter: DraftParameter, type: string): DraftParameter {
  let next = withParameterField(parameter, "type", type);
  for (const field of ["pattern", "min", "max"] as const) {
    if (!parameterFieldApplies(type, field)) next = withParameterField(next, field, undefined);
  }
  const wasBoolean = parameter.type === "boolean";
  if (type === "secret" || wasBoolean !== (type === "boolean")) next = withParameterField(next, "default", undefined);
  if (type === "boolean") next = withParameterField(next, "allowed", undefined);
  return next;
}

export type ExecutionMode = "command" | "script";

export function executionModeOf(draft: Draft): ExecutionMode {
  return draft.script !== undefined && draft.script !== null ? "script" : "command";
}

/** What one mode held when the author switched away from it, to restore when they switch back. */
export interface ExecutionStash {
  command?: Scalar[];
  script?: DraftScript;
  args?: Scalar[];
}

export const DEFAULT_SCRIPT: DraftScript = { language: "bash", content: 'set -euo pipefail\necho "hello from $HANDRAIL_RUNBOOK"\n' };

export function switchExecution(draft: Draft, mode: ExecutionMode, stash: ExecutionStash): { draft: Draft; stash: ExecutionStash } {
  if (mode === executionModeOf(draft)) return { draft, stash };
  if (mode === "script") {
    const next = withField(withField(withField(draft, "command", undefined), "script", stash.script ?? DEFAULT_SCRIPT), "args", stash.args);
    return { draft: next, stash: { ...stash, command: draft.command ?? undefined } };
  }
  const next = withField(withField(withField(draft, "script", undefined), "args", undefined), "command", stash.command ?? ["uptime"]);
  return { draft: next, stash: { ...stash, script: draft.script ?? undefined, args: draft.args ?? undefined } };
}

export type EnvKind = "literal" | "secret" | "inherit";

export interface EnvRow {
  name: string;
  kind: EnvKind;
  /** The literal, or the secret's name; unused for inherit. */
  value: string;
}

export function envRowsOf(env: Draft["env"]): EnvRow[] {
  return Object.entries(env ?? {}).map(([name, spec]) => envRowOf(name, spec));
}

function envRowOf(name: string, spec: DraftEnvValue): EnvRow {
  if (spec !== null && typeof spec === "object") {
    if ("secret" in spec) return { name, kind: "secret", value: spec.secret === null ? "" : String(spec.secret) };
    return { name, kind: "inherit", value: "" };
  }
  return { name, kind: "literal", value: spec === null ? "" : String(spec) };
}

/** Later rows with the same name win, as in a YAML mapping. */
export function envFromRows(rows: readonly EnvRow[]): Record<string, DraftEnvValue> | undefined {
  if (rows.length === 0) return undefined;
  return Object.fromEntries(
    rows.map((row) => [row.name, row.kind === "literal" ? row.value : row.kind === "secret" ? { secret: row.value } : { inherit: true }]),
  );
}

export const envCodec: LocalCodec<EnvRow[], Draft["env"]> = { format: envRowsOf, parse: envFromRows };
