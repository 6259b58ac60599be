import type { Draft, DraftEnvValue, DraftParameter, DraftScript, DraftStep, Scalar } from "./draft";
import type { LocalCodec } from "./text-values";

/** Immutable edits of a draft. A field set to undefined is removed, so the YAML stays minimal. */

function withKey<T extends object>(object: T, key: string, value: unknown): T {
  const next = { ...object } as Record<string, unknown>;
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as T;
}

export function withField(draft: Draft, key: string, value: unknown): Draft {
  return withKey(draft, key, value);
}

export function withParameterField(parameter: DraftParameter, key: string, value: unknown): DraftParameter {
  return withKey(parameter, key, value);
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

export type StepKindChoice = "command" | "script" | "manual" | "runbook";

export function stepsOf(draft: Draft): DraftStep[] {
  return draft.steps ?? [];
}

export function withSteps(draft: Draft, steps: DraftStep[]): Draft {
  return withField(draft, "steps", steps);
}

export function withStepField(step: DraftStep, key: string, value: unknown): DraftStep {
  return withKey(step, key, value);
}

export function stepKindOf(step: DraftStep): StepKindChoice {
  if (step.manual !== undefined && step.manual !== null) return "manual";
  if (step.runbook !== undefined && step.runbook !== null) return "runbook";
  return step.script !== undefined && step.script !== null ? "script" : "command";
}

const PROCESS_ONLY = ["env", "timeout", "onFailure", "approval"];
const MANUAL_ONLY = ["note", "value"];

/** A step of another kind keeps its id, title and condition; what only the old kind had goes. */
export function withStepKind(step: DraftStep, kind: StepKindChoice): DraftStep {
  if (kind === stepKindOf(step)) return step;
  let next = step;
  const dropped = kind === "manual" ? PROCESS_ONLY : kind === "runbook" ? [...PROCESS_ONLY, ...MANUAL_ONLY] : MANUAL_ONLY;
  for (const key of ["command", "script", "args", "manual", "runbook", "params", ...dropped]) next = withStepField(next, key, undefined);
  if (kind === "runbook") return withStepField(next, "runbook", "");
  if (kind === "command") return withStepField(next, "command", ["uptime"]);
  if (kind === "script") return withStepField(next, "script", DEFAULT_SCRIPT);
  return withStepField(next, "manual", "Say what the person does, and how they know it worked.");
}

export function addStep(draft: Draft, kind: StepKindChoice): Draft {
  const taken = new Set(stepsOf(draft).map((step) => String(step.id)));
  let number = stepsOf(draft).length + 1;
  while (taken.has(`step_${number}`)) number += 1;
  const step = withStepKind({ id: `step_${number}`, title: `Step ${number}` }, kind);
  return withSteps(draft, [...stepsOf(draft), step]);
}

/** A one-command runbook becomes a runbook of steps whose first step is that command or script. */
export function toSteps(draft: Draft): Draft {
  const first: DraftStep = { id: "run", title: "Run", ...(draft.script ? { script: draft.script, ...(draft.args ? { args: draft.args } : {}) } : { command: draft.command ?? ["uptime"] }) };
  return withSteps(withField(withField(withField(draft, "command", undefined), "script", undefined), "args", undefined), [first]);
}
