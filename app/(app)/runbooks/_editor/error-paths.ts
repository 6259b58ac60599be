import type { SourceError } from "@/lib/runbooks/source";

/** Errors from the loader's schema carry paths such as `parameters.1.default`; each input is addressed by one. */

export function fieldId(field: string): string {
  return `runbook-field-${field}`;
}

export function messagesAt(errors: readonly SourceError[], field: string): string[] {
  return errors.filter((error) => error.field === field).map((error) => error.message);
}

/** Errors for anything under `prefix` that the listed fields do not show themselves, e.g. an unknown key in a parameter. */
export function messagesElsewhereUnder(errors: readonly SourceError[], prefix: string, shown: readonly string[]): string[] {
  return errors
    .filter((error) => (error.field === prefix || error.field.startsWith(`${prefix}.`)) && !shown.includes(error.field))
    .map((error) => (error.field === prefix ? error.message : `${error.field.slice(prefix.length + 1)}: ${error.message}`));
}

/** zod's wording, said the way the rest of Handrail says it. */
export function humanizeMessage(message: string): string {
  if (/expected [\w ]+, received undefined$/.test(message)) return "is required";
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return "must not be empty";
  if (/^Too small: expected array to have >=1 items?$/.test(message)) return "needs at least one entry";
  const options = /^Invalid option: expected one of (.+)$/.exec(message)?.[1];
  if (options) return `must be one of: ${options.split("|").map((option) => option.replace(/^"|"$/g, "")).join(", ")}`;
  // The YAML parser's first line ends with a colon that introduced a code excerpt we do not show.
  return message.replace(/^Invalid input: /, "").replace(/:$/, "");
}

export function humanizeErrors(errors: readonly SourceError[]): SourceError[] {
  return errors.map((error) => ({ field: error.field, message: humanizeMessage(error.message) }));
}
