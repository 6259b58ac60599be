import { z } from "zod";
import { parseDuration } from "./duration";
import { validateParams } from "./params";

export const parameterTypes = ["string", "integer", "number", "boolean", "enum", "secret"] as const;
export type ParameterType = (typeof parameterTypes)[number];
export const riskLevels = ["low", "medium", "high"] as const;
export type Risk = (typeof riskLevels)[number];

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

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
      try {
        new RegExp(parameter.pattern);
      } catch {
        patternValid = false;
        ctx.addIssue({ code: "custom", path: ["pattern"], message: "is not a valid regular expression" });
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
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes"),
    title: z.string().min(1),
    description: z.string().default(""),
    owner: z.string().min(1),
    tags: z.array(z.string().min(1)).default([]),
    risk: z.enum(riskLevels),
    environment: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "must be a short lowercase name such as production").optional(),
    timeout: z.string().refine((value) => parseDuration(value) !== undefined, {
      message: 'must be a duration such as "90s", "5m" or "1h"',
    }),
    parameters: z.array(parameterSchema).default([]),
    command: z.array(argvElement).min(1).optional(),
    script: z.string().min(1).optional(),
    args: z.array(argvElement).optional(),
  })
  .strict()
  .superRefine((definition, ctx) => {
    if (!definition.command === !definition.script) {
      ctx.addIssue({ code: "custom", path: ["command"], message: "give exactly one of command (an argv array) or script (a file path)" });
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

/** A definition as stored in a version: the script's content travels with it, so a run pins what ran. */
export interface RunbookDefinition extends Omit<RunbookFile, "script"> {
  script?: { path: string; content: string };
}

export function placeholderName(element: string): string | undefined {
  return WHOLE_PLACEHOLDER.exec(element)?.[1];
}

export function timeoutMs(definition: Pick<RunbookDefinition, "timeout">): number {
  return parseDuration(definition.timeout) ?? 0;
}
