import { RE2JS } from "re2js";

/**
 * Parameter patterns are RE2 syntax, matched in time linear in the input: a pattern written by one
 * person and a value sent by another can never stall the server (no backreferences or lookaround).
 * Pure JavaScript, so the run form checks with exactly the server's engine.
 */
export const MAX_PATTERN_LENGTH = 1000;

const compiled = new Map<string, RE2JS>();

/** The compiled pattern, or the reason it is not one. */
export function compilePattern(pattern: string): RE2JS | string {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    const result = RE2JS.compile(pattern);
    if (compiled.size >= 500) compiled.clear();
    compiled.set(pattern, result);
    return result;
  } catch (error) {
    return `is not a valid pattern (RE2 syntax): ${(error as Error).message.replace(/^error parsing regexp: /, "")}`;
  }
}

/** Whether the whole value matches; an invalid pattern matches nothing. */
export function matchesWholly(pattern: string, value: string): boolean {
  const compiledPattern = compilePattern(pattern);
  return typeof compiledPattern !== "string" && compiledPattern.matches(value);
}
