import YAML from "yaml";
import { z } from "zod";
import { roles } from "../roles";
import { actions } from "./ability-types";
import { policyDocumentSchema, type PolicyDocument } from "./document";

/** A test case: who, doing what, to which runbook, with which parameter values, and the expected answer. */
export const policyTestSchema = z
  .object({
    name: z.string().optional(),
    user: z
      .object({
        role: z.enum(roles),
        teams: z.array(z.string()).default([]),
        email: z.email().optional(),
        id: z.string().default("test-user"),
      })
      .strict(),
    action: z.enum(actions),
    /** A runbook slug from the runbooks directory, or the runbook fields themselves. */
    runbook: z.union([
      z.string(),
      z
        .object({
          slug: z.string(),
          risk: z.enum(["low", "medium", "high"]),
          owner: z.string(),
          tags: z.array(z.string()).default([]),
          environment: z.string().nullable().optional(),
        })
        .strict(),
    ]),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    expect: z.enum(["allow", "deny"]),
  })
  .strict();
export type PolicyTest = z.infer<typeof policyTestSchema>;

export interface PolicyFileError {
  file: string;
  /** "policy 2 (sre-team), rule 1" or "test 3" */
  where: string;
  field: string;
  message: string;
}

export interface PolicyFile {
  policies: PolicyDocument[];
  tests: PolicyTest[];
  errors: PolicyFileError[];
}

const fileSchema = z.object({ policies: z.array(z.unknown()).default([]), tests: z.array(z.unknown()).default([]) }).strict();

function locate(kind: "policy" | "test", index: number, name: unknown, path: PropertyKey[]): { where: string; field: string } {
  const label = `${kind} ${index + 1}${typeof name === "string" ? ` (${name})` : ""}`;
  if (kind === "policy" && path[0] === "rules" && typeof path[1] === "number") {
    return { where: `${label}, rule ${path[1] + 1}`, field: path.slice(2).map(String).join(".") || "(rule)" };
  }
  return { where: label, field: path.map(String).join(".") || `(${kind})` };
}

/** Validates the text of a policies file. Every problem is reported with file, policy/rule or test, and field. */
export function parsePolicyFile(text: string, file: string): PolicyFile {
  const result: PolicyFile = { policies: [], tests: [], errors: [] };
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    result.errors.push({ file, where: "(file)", field: "(file)", message: (error as Error).message.split("\n")[0] ?? "unreadable" });
    return result;
  }
  const top = fileSchema.safeParse(raw ?? {});
  if (!top.success) {
    result.errors.push({ file, where: "(file)", field: top.error.issues[0]?.path.join(".") || "(file)", message: top.error.issues[0]?.message ?? "invalid" });
    return result;
  }
  const names = new Set<string>();
  top.data.policies.forEach((entry, index) => {
    const parsed = policyDocumentSchema.safeParse(entry);
    const name = (entry as { name?: unknown } | null)?.name;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) result.errors.push({ file, ...locate("policy", index, name, issue.path), message: issue.message });
      return;
    }
    if (names.has(parsed.data.name)) {
      result.errors.push({ file, ...locate("policy", index, name, ["name"]), message: `"${parsed.data.name}" is defined twice` });
      return;
    }
    names.add(parsed.data.name);
    result.policies.push(parsed.data);
  });
  top.data.tests.forEach((entry, index) => {
    const parsed = policyTestSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        result.errors.push({ file, ...locate("test", index, (entry as { name?: unknown } | null)?.name, issue.path), message: issue.message });
      }
      return;
    }
    result.tests.push(parsed.data);
  });
  return result;
}

export function formatPolicyFileError(error: PolicyFileError): string {
  return `${error.file}: ${error.where}: ${error.field}: ${error.message}`;
}
