import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { SourceError } from "@/lib/runbooks/source";

/** Where in the YAML text each validation error belongs, for lint markers. */

export interface Diagnostic {
  from: number;
  to: number;
  message: string;
}

type Range = [number, number];

function lineAt(text: string, position: number): Range {
  const end = text.indexOf("\n", position);
  return [position, end === -1 ? text.length : end];
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** The node an error path names; where the path runs out (a missing field), the first line of the last node found. */
function locate(text: string, contents: unknown, path: readonly string[], markKey: boolean): Range {
  let node: unknown = contents;
  let range: Range = lineAt(text, startOf(node) ?? 0);
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return lineAt(text, startOf(node) ?? 0);
      const key = isScalar(pair.key) ? pair.key.range : undefined;
      const value = pair.value as { range?: [number, number, number] } | null;
      const last = index === path.length - 1;
      const chosen = (last && markKey) || !value?.range ? key : value.range;
      if (chosen) range = [chosen[0], chosen[1]];
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as { range?: [number, number, number] } | undefined;
      if (!item?.range) return lineAt(text, startOf(node) ?? 0);
      range = [item.range[0], item.range[1]];
      node = item;
    } else {
      return range;
    }
  }
  return range;
}

export function yamlDiagnostics(text: string, errors: readonly SourceError[]): Diagnostic[] {
  const document = parseDocument(text);
  const clamp = (position: number) => Math.max(0, Math.min(position, text.length));
  return errors.map((error) => {
    let range: Range;
    if (error.field === "(yaml)") {
      const [start, end] = document.errors[0]?.pos ?? [0, 0];
      range = [start, Math.max(end, start + 1)];
    } else {
      const path = error.field === "(runbook)" ? [] : error.field.split(".");
      const unknownKey = /^Unrecognized keys?: "([^"]+)"/.exec(error.message)?.[1];
      range = locate(text, document.contents, unknownKey ? [...path, unknownKey] : path, unknownKey !== undefined);
    }
    const from = clamp(range[0]);
    return { from, to: Math.max(from, clamp(range[1])), message: `${error.field}: ${error.message}` };
  });
}
