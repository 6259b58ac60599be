import { z } from "zod";
import { actions } from "../../policy/ability-types";

const jsonObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: 'must be a JSON object such as {"environment":"staging"}' });
  return z.NEVER;
});

export const accessCheckQuery = z.object({
  user: z.string().min(1, "is required").max(320),
  action: z.enum(actions, { message: `must be one of: ${actions.join(", ")}` }),
  runbook: z.string().min(1, "is required").max(100),
  params: jsonObject.optional(),
});
