import { z } from "zod";

/** Pure and browser-safe: the rules for `files:`, the text files a file-managed runbook ships into its run directory. */

export const MAX_FILES = 20;
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILES_TOTAL_BYTES = 4 * 1024 * 1024;

/** A file as a version stores it: written at `path` under the run's working directory before the process starts. */
export interface BundledFile {
  path: string;
  content: string;
}

const filePathSchema = z
  .string()
  .min(1, "the path is empty")
  .max(255, "the path is longer than 255 characters")
  .superRefine((value, ctx) => {
    const problem = pathProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `"${value}": ${problem}` });
  });

function pathProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.startsWith("/")) return "must be relative to the YAML file, not absolute";
  if (value.includes("\\")) return "separate directories with /";
  if (value.includes("\0")) return "contains a NUL character";
  const segments = value.split("/");
  if (segments.includes("..")) return "must not contain .. segments";
  if (segments.some((segment) => segment === "" || segment === ".")) return 'write it without "./", "//" or a trailing /';
  // The run directory also holds the script Handrail writes there as .handrail-<name>.
  if (segments[0]?.startsWith(".handrail")) return "names starting .handrail are reserved for Handrail's own files in the run directory";
  return undefined;
}

export const filesSchema = z
  .array(filePathSchema)
  .max(MAX_FILES, `at most ${MAX_FILES} files`)
  .superRefine((paths, ctx) => {
    const seen = new Set<string>();
    paths.forEach((value, index) => {
      if (seen.has(value)) ctx.addIssue({ code: "custom", path: [index], message: `"${value}" is listed twice` });
      seen.add(value);
    });
    // One file's path cannot also be a directory holding another.
    paths.forEach((value, index) => {
      const inside = paths.find((other) => other.startsWith(`${value}/`));
      if (inside) ctx.addIssue({ code: "custom", path: [index], message: `"${value}" cannot be a file and the directory of "${inside}"` });
    });
  });
