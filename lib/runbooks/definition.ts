import { z } from "zod";
import { parseDuration } from "../config/duration";
import { filesSchema, type BundledFile } from "./files";
import { validateParams } from "./params";
import { compilePattern } from "./pattern";

export type { BundledFile } from "./files";

export const parameterTypes = ["string", "integer", "number", "boolean", "enum", "secret"] as const;
export type ParameterType = (typeof parameterTypes)[number];
export const riskLevels = ["low", "medium", "high"] as const;
export type Risk = (typeof riskLevels)[number];

/** The longest a run may be given; a run's timeout is stored in a 32-bit column of milliseconds. */
export const MAX_TIMEOUT_MS = 7 * 24 * 3_600_000;
export const SLUG_SYNTAX = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** Names of secrets in the secret store: what `env: { X: { secret: name } }` refers to. */
export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "must be letters, digits, '.', '_' or '-' (at most 100), starting with a letter or digit");

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The worker's own credentials: no runbook may ask to inherit them. */
const SERVER_ONLY_ENV = /^(AUTH_|HANDRAIL_|DATABASE_URL$|NEXTAUTH_)/;

const envValueSchema = z.union([
  z.string(),
  z.object({ secret: secretNameSchema }).strict(),
  z.object({ inherit: z.literal(true) }).strict(),
]);
export type EnvValue = z.infer<typeof envValueSchema>;

/** Interpreters an inline script may name instead of a #! line; each must be on the worker's PATH. */
export const scriptLanguages = ["bash", "sh", "python3", "node"] as const;
export type ScriptLanguage = (typeof scriptLanguages)[number];

const inlineScriptSchema = z
  .object({
    language: z.enum(scriptLanguages).optional(),
    content: z.string().min(1, "the script is empty").max(256 * 1024, "the script is larger than 256 KiB"),
  })
  .strict()
  .superRefine((script, ctx) => {
    if (!script.language && !script.content.startsWith("#!")) {
      ctx.addIssue({ code: "custom", path: ["content"], message: `an inline script needs a #! line or a language (${scriptLanguages.join(", ")})` });
    }
  });
export type InlineScript = z.infer<typeof inlineScriptSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const durationSchema = z.string().refine((value) => parseDuration(value) !== undefined, {
  message: 'must be a duration such as "90s", "5m" or "1h"',
});

/** Who must approve a run before it is queued. Absent: one approval for high risk, none otherwise. */
const approvalSchema = z
  .object({
    /** Distinct people who must approve; 0 turns approval off (also for a high-risk runbook). */
    required: z.number().int().min(0).max(5).default(1),
    /** Narrows who may approve, on top of the `approve` policy action; empty lists mean anyone that policy allows. */
    approvers: z
      .object({
        roles: z.array(z.enum(["admin", "operator", "developer", "auditor"])).default([]),
        teams: z.array(z.string().min(1)).default([]),
        users: z.array(z.email("must be an email address").transform((email) => email.toLowerCase())).default([]),
      })
      .strict()
      .optional(),
    /** How long a request waits for approval before it expires (default HANDRAIL_APPROVAL_EXPIRES_AFTER). */
    expiresAfter: durationSchema.optional(),
  })
  .strict();
export type ApprovalDefinition = z.infer<typeof approvalSchema>;

/** How the script is told to change nothing: a boolean parameter set to true, and/or extra arguments. */
const dryRunSchema = z
  .object({
    parameter: z.string().min(1).optional(),
    args: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((value) => value.parameter !== undefined || value.args !== undefined, { message: "name a boolean parameter or args for the dry-run mode" });
export type DryRunDefinition = z.infer<typeof dryRunSchema>;

export const parameterSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a letter or _ followed by letters, digits or _"),
    type: z.enum(parameterTypes),
    required: z.boolean().default(false),
    default: scalar.optional(),
    description: z.string().optional(),
    pattern: z.string().optional(),
    allowed: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .superRefine((parameter, ctx) => {
    if (parameter.type === "enum" && !parameter.allowed) {
      ctx.addIssue({ code: "custom", path: ["allowed"], message: "an enum parameter needs a list of allowed values" });
    }
    let patternValid = true;
    if (parameter.pattern !== undefined) {
      if (parameter.type !== "string" && parameter.type !== "secret") {
        ctx.addIssue({ code: "custom", path: ["pattern"], message: "pattern applies to string and secret parameters only" });
      }
      const problem = compilePattern(parameter.pattern);
      if (typeof problem === "string") {
        patternValid = false;
        ctx.addIssue({ code: "custom", path: ["pattern"], message: problem });
      }
    }
    if ((parameter.min !== undefined || parameter.max !== undefined) && !["integer", "number"].includes(parameter.type)) {
      ctx.addIssue({ code: "custom", path: ["min"], message: "min and max apply to integer and number parameters only" });
    }
    if (parameter.type === "secret" && parameter.default !== undefined) {
      ctx.addIssue({ code: "custom", path: ["default"], message: "a secret parameter cannot have a default" });
    } else if (parameter.default !== undefined && patternValid) {
      const checked = validateParams([{ ...parameter, default: undefined }], { [parameter.name]: parameter.default });
      if (!checked.ok) {
        ctx.addIssue({ code: "custom", path: ["default"], message: `the default breaks the parameter's own rules: ${checked.errors[0]?.message}` });
      }
    }
  });
export type ParameterDefinition = z.infer<typeof parameterSchema>;

const argvElement = z.string().superRefine((element, ctx) => {
  if (PLACEHOLDER.test(element) && !WHOLE_PLACEHOLDER.test(element)) {
    ctx.addIssue({
      code: "custom",
      message: `"${element}": a {{placeholder}} must be a whole argv element, not part of one`,
    });
  }
});

export const runbookFileSchema = z
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
  })
  .strict()
  .superRefine((definition, ctx) => {
    if (!definition.command === !definition.script) {
      ctx.addIssue({ code: "custom", path: ["command"], message: "give exactly one of command (an argv array) or script (a file path or an inline script)" });
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
      ctx.addIssue({ code: "custom", path: ["dryRun", "args"], message: "dry-run args need a command or script" });
    }
    if (definition.confirm !== undefined) {
      const parameter = definition.parameters.find((candidate) => candidate.name === definition.confirm);
      if (!parameter) ctx.addIssue({ code: "custom", path: ["confirm"], message: `"${definition.confirm}" names no parameter` });
      else if (parameter.type === "secret") ctx.addIssue({ code: "custom", path: ["confirm"], message: "a secret parameter cannot be the confirmation: it would be typed and shown in the clear" });
      else if (!parameter.required && parameter.default === undefined) {
        ctx.addIssue({ code: "custom", path: ["confirm"], message: `"${definition.confirm}" must be required or have a default, so there is always a value to type` });
      }
    }
    for (const [name, value] of Object.entries(definition.env ?? {})) {
      if (!ENV_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: ["env", name], message: "must be an environment variable name (letters, digits, _)" });
      } else if (name.startsWith("HANDRAIL_")) {
        ctx.addIssue({ code: "custom", path: ["env", name], message: "HANDRAIL_ variables are set by Handrail itself" });
      } else if (typeof value === "object" && "inherit" in value && SERVER_ONLY_ENV.test(name)) {
        ctx.addIssue({ code: "custom", path: ["env", name], message: `${name} belongs to the Handrail server and is never passed to runs` });
      }
    }
    const templated: Array<["command" | "args", string[] | undefined]> = [
      ["command", definition.command],
      ["args", definition.args],
    ];
    for (const [key, elements] of templated) {
      elements?.forEach((element, index) => {
        const name = WHOLE_PLACEHOLDER.exec(element)?.[1];
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
export interface RunbookDefinition extends Omit<RunbookFile, "script" | "files"> {
  script?: { path: string; content: string; language?: ScriptLanguage; inline?: true };
  files?: BundledFile[];
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

export function placeholderName(element: string): string | undefined {
  return WHOLE_PLACEHOLDER.exec(element)?.[1];
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
