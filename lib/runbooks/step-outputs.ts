/** Pure: the `key=value` lines a step writes to $HANDRAIL_OUTPUTS, read as data. */

export const MAX_OUTPUT_KEYS = 100;
export const MAX_OUTPUT_VALUE_LENGTH = 4096;
const OUTPUT_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface ParsedOutputs {
  outputs: Record<string, string>;
  /** Lines that were not taken, each saying why. */
  problems: string[];
}

/** One `key=value` per line; a later line for the same key wins. Values are kept as text, never interpreted. */
export function parseStepOutputs(text: string): ParsedOutputs {
  const outputs = new Map<string, string>();
  const problems: string[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const at = `line ${index + 1}`;
    const equals = line.indexOf("=");
    const key = equals < 0 ? line : line.slice(0, equals);
    if (equals < 0) return void problems.push(`${at}: expected key=value`);
    if (!OUTPUT_KEY.test(key)) return void problems.push(`${at}: "${key.slice(0, 64)}" is not a key (letters, digits and _, at most 64, not starting with a digit)`);
    const value = line.slice(equals + 1);
    if (value.length > MAX_OUTPUT_VALUE_LENGTH) return void problems.push(`${at}: the value of ${key} is longer than ${MAX_OUTPUT_VALUE_LENGTH} characters`);
    if (value.includes("\0")) return void problems.push(`${at}: the value of ${key} contains a NUL character`);
    if (!outputs.has(key) && outputs.size >= MAX_OUTPUT_KEYS) return void problems.push(`${at}: more than ${MAX_OUTPUT_KEYS} keys`);
    outputs.set(key, value);
  });
  // Own properties even for a key such as __proto__.
  return { outputs: Object.fromEntries(outputs), problems };
}
