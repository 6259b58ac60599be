import { z } from "zod";
import { parseDuration } from "../config/duration";
import { filesSchema, type BundledFile } from "./files";
import {
  argvElement,
  checkEnvEntries,
  approvalSchema,
  SLUG_SYNTAX,
  durationSchema,
  envValueSchema,
  inlineScriptSchema,
  parameterSchema,
  placeholderName,
  PLACEHOLDER,
  type InlineScript,
  type ScriptLanguage,
} from "./schema-parts";
import { checkSteps, stepsSchema, type StepDefinition } from "./steps";
import { checkScheduleDefinitions, schedulesSchema } from "./schedule-definitions";

export type { BundledFile } from "./files";
export {
  SLUG_SYNTAX,
  type ApprovalDefinition,
  parameterSchema,
  parameterTypes,
  placeholderName,
  scriptLanguages,
  secretNameSchema,
  type EnvValue,
  type InlineScript,
  type ParameterDefinition,
  type ParameterType,
  type ScriptLanguage,
} from "./schema-parts";
export type { StepDefinition } from "./steps";

export const riskLevels = ["low", "medium", "high"] as const;
export type Risk = (typeof riskLevels)[number];

/** The longest a run may be given; a run's timeout is stored in a 32-bit column of milliseconds. */
export const MAX_TIMEOUT_MS = 7 * 24 * 3_600_000;


/** How the script is told to change nothing: a boolean parameter set to true, and/or extra arguments. */
const dryRunSchema = z
  .object({
    parameter: z.string().min(1).optional(),
    args: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((value) => value.parameter !== undefined || value.args !== undefined, { message: "name a boolean parameter or args for the dry-run mode" });
export type DryRunDefinition = z.infer<typeof dryRunSchema>;

/**
 * A view only looks: low risk, and nothing in it a person must approve, confirm or do, so that
 * anyone who may see its panel may refresh it and schedules may run it unattended.
 */
function checkViewContract(definition: z.infer<typeof runbookFileBaseSchema>, ctx: z.RefinementCtx): void {
  const refuse = (path: Array<string | number>, message: string) => ctx.addIssue({ code: "custom", path, message: `a view runbook only looks: ${message}` });
  if (definition.risk !== "low") refuse(["risk"], `its risk must be low, not ${definition.risk}`);
  if (definition.approval) refuse(["approval"], "it needs no approval");
  if (definition.confirm !== undefined) refuse(["confirm"], "it asks for no confirmation");
  if (definition.dryRun) refuse(["dryRun"], "it changes nothing, so it has no dry-run mode");
  definition.parameters.forEach((parameter, index) => {
    if (parameter.required && parameter.default === undefined) refuse(["parameters", index, "default"], `its panel refreshes it without asking, so "${parameter.name}" needs a default`);
  });
  definition.steps?.forEach((step, index) => {
    if (step.manual !== undefined) refuse(["steps", index, "manual"], "it has no manual steps");
    if (step.approval) refuse(["steps", index, "approval"], "its steps need no approval");
    if (step.runbook !== undefined) refuse(["steps", index, "runbook"], "it runs no other runbook, which could act");
  });
}

const runbookFileBaseSchema = z
  .object({
    slug: z.string().regex(SLUG_SYNTAX, "must be lowercase letters, digits and dashes"),
    title: z.string().min(1),
    description: z.string().default(""),
    owner: z.string().min(1),
    tags: z.array(z.string().min(1)).default([]),
    risk: z.enum(riskLevels),
    environment: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "must be a short lowercase name such as production").optional(),
    timeout: durationSchema.refine((value) => (parseDuration(value) ?? 0) <= MAX_TIMEOUT_MS, { message: "must be at most 7 days (168h)" }),
    parameters: z.array(parameterSchema).default([]),
    command: z.array(argvElement).min(1).optional(),
    /** A file path next to the YAML, or an inline script stored with the version. */
    script: z.union([z.string().min(1), inlineScriptSchema]).optional(),
    args: z.array(argvElement).optional(),
    /** Several steps instead of one command or script: automated, manual, in order. */
    steps: stepsSchema.optional(),
    /** Text files next to the YAML, stored with the version and written into the run's directory. */
    files: filesSchema.optional(),
    /** At most this many runs of this runbook at once; absent means no limit. */
    concurrency: z.number().int().min(1).max(1000).optional(),
    /** A key rendered from parameters, e.g. "host:{{host}}": one running run per key, across all runbooks. */
    lock: z.string().min(1).max(200).optional(),
    /** Extra environment: literal values, secrets from the store, or variables explicitly inherited from the worker. */
    env: z.record(z.string(), envValueSchema).optional(),
    approval: approvalSchema.optional(),
    dryRun: dryRunSchema.optional(),
    /** For high-risk runs: the parameter whose value the runner types to confirm, instead of the slug. */
    confirm: z.string().min(1).optional(),
    /** Runs on a cron expression or once, each as its owner (docs/schedules.md). */
    schedules: schedulesSchema.optional(),
    /** Read-only by contract, it reports the state of something; shown as a panel (docs/views.md). */
    view: z.boolean().optional(),
  })
  .strict();

export const runbookFileSchema = runbookFileBaseSchema.superRefine((definition, ctx) => {
    const bodies = [definition.command, definition.script, definition.steps].filter((body) => body !== undefined).length;
    if (bodies !== 1) {
      ctx.addIssue({ code: "custom", path: ["command"], message: "give exactly one of command (an argv array), script (a file path or an inline script) or steps" });
    }
    if (definition.args && !definition.script) {
      ctx.addIssue({ code: "custom", path: ["args"], message: "args go with script; put arguments in command instead" });
    }
    const names = new Set<string>();
    definition.parameters.forEach((parameter, index) => {
      if (names.has(parameter.name)) {
        ctx.addIssue({ code: "custom", path: ["parameters", index, "name"], message: `duplicate parameter "${parameter.name}"` });
      }
      names.add(parameter.name);
    });
    if (definition.lock !== undefined) {
      for (const match of definition.lock.matchAll(new RegExp(PLACEHOLDER.source, "g"))) {
        const name = match[1] ?? "";
        const parameter = definition.parameters.find((candidate) => candidate.name === name);
        if (!parameter) ctx.addIssue({ code: "custom", path: ["lock"], message: `{{${name}}} names no parameter` });
        else if (parameter.type === "secret") {
          ctx.addIssue({ code: "custom", path: ["lock"], message: `{{${name}}} is a secret parameter: a lock key is stored and shown, so it cannot contain a secret` });
        }
      }
    }
    const dryRunParameter = definition.dryRun?.parameter;
    if (dryRunParameter !== undefined && definition.parameters.find((parameter) => parameter.name === dryRunParameter)?.type !== "boolean") {
      ctx.addIssue({ code: "custom", path: ["dryRun", "parameter"], message: `must name a boolean parameter ("${dryRunParameter}" is not one)` });
    }
    if (definition.dryRun?.args && !definition.script && !definition.command) {
      ctx.addIssue({
        code: "custom",
        path: ["dryRun", "args"],
        message: definition.steps ? "dry-run args would not say which step they go to; with steps, name a boolean parameter instead" : "dry-run args need a command or script",
      });
    }
    if (definition.confirm !== undefined) {
      const parameter = definition.parameters.find((candidate) => candidate.name === definition.confirm);
      if (!parameter) ctx.addIssue({ code: "custom", path: ["confirm"], message: `"${definition.confirm}" names no parameter` });
      else if (parameter.type === "secret") ctx.addIssue({ code: "custom", path: ["confirm"], message: "a secret parameter cannot be the confirmation: it would be typed and shown in the clear" });
      else if (!parameter.required && parameter.default === undefined) {
        ctx.addIssue({ code: "custom", path: ["confirm"], message: `"${definition.confirm}" must be required or have a default, so there is always a value to type` });
      }
    }
    checkEnvEntries(definition.env, ctx, ["env"]);
    if (definition.steps) checkSteps(definition.steps, definition.parameters, ctx);
    if (definition.schedules) checkScheduleDefinitions(definition.schedules, definition.parameters, ctx);
    if (definition.view) checkViewContract(definition, ctx);
    const templated: Array<["command" | "args", string[] | undefined]> = [
      ["command", definition.command],
      ["args", definition.args],
    ];
    for (const [key, elements] of templated) {
      elements?.forEach((element, index) => {
        const name = placeholderName(element);
        if (name && !names.has(name)) {
          ctx.addIssue({ code: "custom", path: [key, index], message: `{{${name}}} names no parameter` });
        }
      });
    }
  });
export type RunbookFile = z.infer<typeof runbookFileSchema>;

/**
 * A definition as stored in a version: the script's and files' content travels with it, so a run
 * pins what ran. `inline` marks a script written in Handrail (or inline in YAML) rather than read
 * from a file.
 */
export interface RunbookDefinition extends Omit<RunbookFile, "script" | "files" | "steps"> {
  script?: { path: string; content: string; language?: ScriptLanguage; inline?: true };
  files?: BundledFile[];
  steps?: StepDefinition[];
}

const inlineExtensions: Record<ScriptLanguage, string> = { bash: "sh", sh: "sh", python3: "py", node: "js" };

/** The stored form of an inline script; its path only names the temporary file it runs from. */
export function inlineScript(script: InlineScript): NonNullable<RunbookDefinition["script"]> {
  return {
    path: `inline.${script.language ? inlineExtensions[script.language] : "script"}`,
    content: script.content,
    ...(script.language ? { language: script.language } : {}),
    inline: true,
  };
}

export function timeoutMs(definition: Pick<RunbookDefinition, "timeout">): number {
  return parseDuration(definition.timeout) ?? 0;
}

/** The names of store secrets a definition's environment refers to. */
export function referencedSecrets(definition: Pick<RunbookDefinition, "env">): string[] {
  return Object.values(definition.env ?? {}).flatMap((value) => (typeof value === "object" && "secret" in value ? [value.secret] : []));
}

/** Renders the run's lock key; parameters left out render as empty text. */
export function renderLockKey(template: string, values: Record<string, unknown>): string {
  return template.replace(new RegExp(PLACEHOLDER.source, "g"), (_, name: string) => {
    const value = values[name];
    return value === undefined ? "" : String(value);
  });
}

/** Distinct approvals a run needs from the runbook alone: its `approval`, else one for high risk. */
export function approvalsRequiredBy(definition: Pick<RunbookDefinition, "approval" | "risk">): number {
  if (definition.approval) return definition.approval.required;
  return definition.risk === "high" ? 1 : 0;
}

export function riskRank(risk: Risk): number {
  return riskLevels.indexOf(risk);
}

/** The higher of two risk levels. */
export function maxRisk(a: Risk, b: Risk): Risk {
  return riskRank(a) >= riskRank(b) ? a : b;
}
