import { diffLines } from "diff";

/** One row of a side-by-side diff; a side is absent where the line exists only on the other. */
export interface DiffRow {
  kind: "same" | "removed" | "added" | "changed";
  left?: { number: number; text: string };
  right?: { number: number; text: string };
}

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Pairs removed and added runs line by line, so a change reads across one row. Pure: used in the browser too. */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let left = 0;
  let right = 0;
  let removed: string[] = [];
  const flushRemoved = (added: string[]) => {
    const pairs = Math.max(removed.length, added.length);
    for (let index = 0; index < pairs; index += 1) {
      const oldLine = removed[index];
      const newLine = added[index];
      rows.push({
        kind: oldLine !== undefined && newLine !== undefined ? "changed" : oldLine !== undefined ? "removed" : "added",
        ...(oldLine !== undefined ? { left: { number: ++left, text: oldLine } } : {}),
        ...(newLine !== undefined ? { right: { number: ++right, text: newLine } } : {}),
      });
    }
    removed = [];
  };
  for (const part of diffLines(before, after)) {
    const lines = splitLines(part.value);
    if (part.removed) {
      removed.push(...lines);
    } else if (part.added) {
      flushRemoved(lines);
    } else {
      flushRemoved([]);
      for (const text of lines) rows.push({ kind: "same", left: { number: ++left, text }, right: { number: ++right, text } });
    }
  }
  flushRemoved([]);
  return rows;
}
