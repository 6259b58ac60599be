import { stringify } from "csv-stringify/sync";
import type { ChainRow } from "./verify";

export const exportColumns = [
  "id",
  "seq",
  "at",
  "actorType",
  "actorId",
  "actorEmail",
  "action",
  "outcome",
  "subjectType",
  "subjectId",
  "versionHash",
  "details",
  "ip",
  "userAgent",
  "prevHash",
  "hash",
] as const satisfies readonly (keyof ChainRow)[];

function plain(row: ChainRow): Record<string, unknown> {
  return { ...row, at: row.at instanceof Date ? row.at.toISOString() : row.at };
}

/** One JSON object per line, every column: enough to recompute each hash offline. */
export function toJsonLine(row: ChainRow): string {
  return `${JSON.stringify(plain(row))}\n`;
}

function csvText(value: unknown): string {
  return value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

export const csvHeader = `${exportColumns.join(",")}\n`;

/**
 * One CSV record. A field starting with = + - @, a tab or a CR (a sign-in's email, say) is prefixed
 * with ' so a spreadsheet shows it as text instead of running it as a formula.
 */
export function toCsvLine(row: ChainRow): string {
  const values = plain(row);
  return stringify([exportColumns.map((column) => csvText(values[column]))], { escape_formulas: true, record_delimiter: "unix" });
}

/** Reads a JSON Lines export back; a malformed line is reported with its number. */
export function parseJsonLine(line: string, lineNumber: number): ChainRow {
  try {
    return JSON.parse(line) as ChainRow;
  } catch {
    throw new Error(`line ${lineNumber} is not valid JSON`);
  }
}
