import { z } from "zod";
import { parseDuration } from "../config/duration";
import { validateParams } from "./params";
import { compilePattern } from "./pattern";

/** Schema pieces a runbook and its steps share. */

export const parameterTypes = ["string", "integer", "number", "boolean", "enum", "secret"] as const;
export type ParameterType = (typeof parameterTypes)[number];

/** `{{name}}` for a parameter, `{{steps.<id>.outputs.<key>}}` for an earlier step's output. */
export const SLUG_SYNTAX = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/;

/** Names of secrets in the secret store: what `env: { X: { secret: name } }` refers to. */
export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "must be letters, digits, '.', '_' or '-' (at most 100), starting with a letter or digit");

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The worker's own credentials: no runbook may ask to inherit them. */
export const SERVER_ONLY_ENV = /^(AUTH_|HANDRAIL_|DATABASE_URL$|NEXTAUTH_)/;

export const envValueSchema = z.union([
  z.string(),
  z.object({ secret: secretNameSchema }).strict(),
  z.object({ inherit: z.literal(true) }).strict(),
]);
export type EnvValue = z.infer<typeof envValueSchema>;

/** Interpreters an inline script may name instead of a #! line; each must be on the worker's PATH. */
export const scriptLanguages = ["bash", "sh", "python3", "node"] as const;
export type ScriptLanguage = (typeof scriptLanguages)[number];

export const inlineScriptSchema = z
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

export const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const durationSchema = z.string().refine((value) => parseDuration(value) !== undefined, {
  message: 'must be a duration such as "90s", "5m" or "1h"',
});


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

export const argvElement = z.string().superRefine((element, ctx) => {
  if (PLACEHOLDER.test(element) && !WHOLE_PLACEHOLDER.test(element)) {
    ctx.addIssue({
      code: "custom",
      message: `"${element}": a {{placeholder}} must be a whole argv element, not part of one`,
    });
  }
});


export function placeholderName(element: string): string | undefined {
  return WHOLE_PLACEHOLDER.exec(element)?.[1];
}

/** A placeholder's name as a step output reference, or undefined for a parameter name. */
export function outputReference(name: string): { step: string; key: string } | undefined {
  const match = /^steps\.([a-z][a-z0-9_]*)\.outputs\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
  return match ? { step: match[1] as string, key: match[2] as string } : undefined;
}

/** Checks an `env:` mapping's names and inherited variables, reporting under `path`. */
export function checkEnvEntries(env: Record<string, EnvValue> | undefined, ctx: z.RefinementCtx, path: (string | number)[]): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!ENV_NAME.test(name)) {
      ctx.addIssue({ code: "custom", path: [...path, name], message: "must be an environment variable name (letters, digits, _)" });
    } else if (name.startsWith("HANDRAIL_")) {
      ctx.addIssue({ code: "custom", path: [...path, name], message: "HANDRAIL_ variables are set by Handrail itself" });
    } else if (typeof value === "object" && "inherit" in value && SERVER_ONLY_ENV.test(name)) {
      ctx.addIssue({ code: "custom", path: [...path, name], message: `${name} belongs to the Handrail server and is never passed to runs` });
    }
  }
}

/** Who must approve a run (or a step of it) before it goes ahead. Absent: one approval for high risk, none otherwise. */
export const approvalSchema = z
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

/** The people an `approval:` narrows approving to, or null when it leaves that to the policies. */
export function namedApprovers(approval: ApprovalDefinition | undefined): { roles: string[]; teams: string[]; users: string[] } | null {
  const approvers = approval?.approvers;
  return approvers && approvers.roles.length + approvers.teams.length + approvers.users.length > 0 ? approvers : null;
}
