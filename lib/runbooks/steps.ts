import { z } from "zod";
import { parseDuration } from "../config/duration";
import { ConditionError, parseCondition } from "./conditions";
import {
  approvalSchema,
  argvElement,
  checkEnvEntries,
  durationSchema,
  envValueSchema,
  inlineScriptSchema,
  outputReference,
  parameterSchema,
  placeholderName,
  SLUG_SYNTAX,
  type ParameterDefinition,
  type ScriptLanguage,
} from "./schema-parts";

/** Pure and browser-safe: a runbook's `steps:`, as written and as a version stores them. */

export const STEP_ID = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_STEPS = 50;
export const MAX_RETRIES = 10;
const MAX_BACKOFF_MS = 3_600_000;
const DEFAULT_BACKOFF = "5s";
const FAILURE_POLICY = /^(stop|continue|retry\(\s*(\d+)\s*(?:,\s*(\d+(?:ms|s|m|h))\s*)?\))$/;

export type FailurePolicy = { kind: "stop" } | { kind: "continue" } | { kind: "retry"; times: number; backoffMs: number };

/** `stop`, `continue`, or `retry(n)` / `retry(n, 10s)`: up to n more attempts, waiting the backoff, doubled each time. */
export function failurePolicy(text: string | undefined): FailurePolicy {
  const match = FAILURE_POLICY.exec(text ?? "stop");
  if (!match || match[1] === "stop") return { kind: "stop" };
  if (match[1] === "continue") return { kind: "continue" };
  return { kind: "retry", times: Number(match[2]), backoffMs: parseDuration(match[3] ?? DEFAULT_BACKOFF) ?? 0 };
}

const onFailureSchema = z
  .string()
  .refine((text) => FAILURE_POLICY.test(text), { message: 'must be stop, continue, or retry(n) / retry(n, 10s)' })
  .refine((text) => {
    const policy = failurePolicy(text);
    return policy.kind !== "retry" || (policy.times >= 1 && policy.times <= MAX_RETRIES && policy.backoffMs <= MAX_BACKOFF_MS);
  }, { message: `retries must be 1 to ${MAX_RETRIES}, with a backoff of at most 1h` });

/** What a person fills in when they tick a manual step: later steps read it as steps.<id>.outputs.<name>. */
const manualValueSchema = parameterSchema.superRefine((value, ctx) => {
  if (value.type === "secret") ctx.addIssue({ code: "custom", path: ["type"], message: "a manual step's value is shown to everyone watching; it cannot be a secret" });
  if (value.default !== undefined) ctx.addIssue({ code: "custom", path: ["default"], message: "a manual step's value has no default: a person types it" });
});

export const stepFileSchema = z
  .object({
    id: z.string().regex(STEP_ID, "must be a lowercase letter followed by lowercase letters, digits or _ (at most 40)"),
    title: z.string().trim().min(1, "a step needs a title").max(200, "must be at most 200 characters"),
    command: z.array(argvElement).min(1).optional(),
    script: z.union([z.string().min(1), inlineScriptSchema]).optional(),
    args: z.array(argvElement).optional(),
    /** Markdown instructions for a person; the step is done when someone ticks it. */
    manual: z.string().min(1).max(20_000, "must be at most 20,000 characters").optional(),
    note: z.enum(["optional", "required"]).optional(),
    value: manualValueSchema.optional(),
    env: z.record(z.string(), envValueSchema).optional(),
    timeout: durationSchema.optional(),
    onFailure: onFailureSchema.optional(),
    when: z.string().min(1).optional(),
    /** A second person must approve this step when the run reaches it, before its process starts. */
    approval: approvalSchema.optional(),
    /** Another runbook, requested by this run's requester when the step is reached (its version pinned at request time). */
    runbook: z.string().regex(SLUG_SYNTAX, "must be a runbook slug").optional(),
    /** That runbook's parameters: literals, or "{{name}}" of this runbook's parameter, or "{{steps.<id>.outputs.<key>}}". */
    params: z.record(z.string().max(100), z.union([z.string().max(4096), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type StepFile = z.infer<typeof stepFileSchema>;

export const stepsSchema = z.array(stepFileSchema).min(1, "list at least one step").max(MAX_STEPS, `at most ${MAX_STEPS} steps`);

/** A step as a version stores it: a script's content travels with it, as the runbook's own does. */
export interface StepDefinition extends Omit<StepFile, "script"> {
  script?: { path: string; content: string; language?: ScriptLanguage; inline?: true };
}

export type StepKind = "command" | "script" | "manual" | "runbook";

/** Distinct people who must approve a step when the run reaches it: 0 when it has no `approval:`. */
export function stepApprovalsRequired(step: Pick<StepFile, "approval">): number {
  return step.approval?.required ?? 0;
}

export function stepKind(step: Pick<StepFile, "command" | "script" | "manual" | "runbook">): StepKind {
  if (step.manual !== undefined) return "manual";
  if (step.runbook !== undefined) return "runbook";
  return step.command ? "command" : "script";
}

/** A placeholder in a step must name a parameter or an output of an earlier step. */
function placeholderProblem(name: string, parameters: readonly ParameterDefinition[], earlier: ReadonlySet<string>): string | undefined {
  const reference = outputReference(name);
  if (reference) return earlier.has(reference.step) ? undefined : `{{${name}}}: "${reference.step}" is not an earlier step`;
  if (name.startsWith("steps.")) return `{{${name}}}: a step's value is written {{steps.<id>.outputs.<key>}}`;
  return parameters.some((parameter) => parameter.name === name) ? undefined : `{{${name}}} names no parameter`;
}

function checkCondition(text: string, parameters: readonly ParameterDefinition[], earlier: ReadonlySet<string>): string | undefined {
  try {
    for (const reference of parseCondition(text).references) {
      if (reference.kind === "param") {
        const parameter = parameters.find((candidate) => candidate.name === reference.name);
        if (!parameter) return `params.${reference.name} names no parameter`;
        if (parameter.type === "secret") return `params.${reference.name} is a secret: a condition's result is shown to everyone, so it cannot read a secret`;
      } else if (!earlier.has(reference.step)) {
        return `steps.${reference.step} is not an earlier step`;
      }
    }
    return undefined;
  } catch (error) {
    if (error instanceof ConditionError) return error.message;
    throw error;
  }
}

function checkStep(step: StepFile, index: number, parameters: readonly ParameterDefinition[], earlier: ReadonlySet<string>, ctx: z.RefinementCtx): void {
  const at = (...path: (string | number)[]) => ["steps", index, ...path];
  const kinds = [step.command, step.script, step.manual, step.runbook].filter((part) => part !== undefined).length;
  if (kinds !== 1) ctx.addIssue({ code: "custom", path: at("command"), message: "give exactly one of command, script, manual or runbook" });
  if (step.runbook !== undefined) checkRunbookStep(step, parameters, earlier, at, ctx);
  else if (step.params !== undefined) ctx.addIssue({ code: "custom", path: at("params"), message: "params go with runbook: the parameters of the runbook a step runs" });
  if (step.args && !step.script) ctx.addIssue({ code: "custom", path: at("args"), message: "args go with script; put arguments in command instead" });
  if (step.manual === undefined) {
    if (step.runbook === undefined && step.note !== undefined) ctx.addIssue({ code: "custom", path: at("note"), message: "note applies to manual steps only" });
    if (step.runbook === undefined && step.value !== undefined) ctx.addIssue({ code: "custom", path: at("value"), message: "value applies to manual steps only" });
  } else {
    for (const key of ["env", "timeout", "onFailure", "approval"] as const) {
      if (step[key] !== undefined) ctx.addIssue({ code: "custom", path: at(key), message: `${key} applies to steps that run a process; a manual step waits for a person` });
    }
  }
  for (const key of ["command", "args"] as const) {
    step[key]?.forEach((element, position) => {
      const name = placeholderName(element);
      const problem = name === undefined ? undefined : placeholderProblem(name, parameters, earlier);
      if (problem) ctx.addIssue({ code: "custom", path: at(key, position), message: problem });
    });
  }
  checkEnvEntries(step.env, ctx, at("env"));
  for (const [name, value] of Object.entries(step.env ?? {})) {
    const placeholder = typeof value === "string" ? placeholderName(value) : undefined;
    const reference = placeholder === undefined ? undefined : outputReference(placeholder);
    if (placeholder !== undefined && !reference) {
      ctx.addIssue({ code: "custom", path: at("env", name), message: `{{${placeholder}}}: parameters are in the environment already as HANDRAIL_PARAM_*; an env value can name an earlier step's output` });
    } else if (reference && !earlier.has(reference.step)) {
      ctx.addIssue({ code: "custom", path: at("env", name), message: `{{${placeholder}}}: "${reference.step}" is not an earlier step` });
    }
  }
  if (step.when !== undefined) {
    const problem = checkCondition(step.when, parameters, earlier);
    if (problem) ctx.addIssue({ code: "custom", path: at("when"), message: problem });
  }
}

/** A `runbook:` step: its own runbook's timeout, retries and approval apply, and its parameters come from this run's. */
function checkRunbookStep(step: StepFile, parameters: readonly ParameterDefinition[], earlier: ReadonlySet<string>, at: (...path: (string | number)[]) => (string | number)[], ctx: z.RefinementCtx): void {
  for (const key of ["env", "timeout", "approval", "note", "value"] as const) {
    if (step[key] !== undefined) ctx.addIssue({ code: "custom", path: at(key), message: `${key} does not apply to a runbook step: the runbook it runs has its own` });
  }
  if (step.onFailure !== undefined && failurePolicy(step.onFailure).kind === "retry") {
    ctx.addIssue({ code: "custom", path: at("onFailure"), message: "a runbook step is not retried: use stop or continue, and retries in the runbook it runs" });
  }
  for (const [name, value] of Object.entries(step.params ?? {})) {
    const placeholder = typeof value === "string" ? placeholderName(value) : undefined;
    if (placeholder === undefined) {
      if (typeof value === "string" && value.includes("{{")) ctx.addIssue({ code: "custom", path: at("params", name), message: `"${value}": a {{placeholder}} must be the whole value` });
      continue;
    }
    const problem = placeholderProblem(placeholder, parameters, earlier);
    if (problem) ctx.addIssue({ code: "custom", path: at("params", name), message: problem });
    else if (parameters.find((parameter) => parameter.name === placeholder)?.type === "secret") {
      ctx.addIssue({ code: "custom", path: at("params", name), message: `{{${placeholder}}} is a secret: secrets are not passed to another runbook (it declares its own)` });
    }
  }
}

/** Checks the steps of a runbook against its parameters: unique ids, and references to earlier steps only. */
export function checkSteps(steps: readonly StepFile[], parameters: readonly ParameterDefinition[], ctx: z.RefinementCtx): void {
  const earlier = new Set<string>();
  steps.forEach((step, index) => {
    if (earlier.has(step.id)) ctx.addIssue({ code: "custom", path: ["steps", index, "id"], message: `duplicate step id "${step.id}"` });
    checkStep(step, index, parameters, earlier, ctx);
    earlier.add(step.id);
  });
}
