import type { Scalar } from "./draft";

/** How an input shows a value (L) and turns what was typed back into one; parse(format(v)) must equal v. */
export interface LocalCodec<L, T> {
  format: (value: T) => L;
  parse: (local: L) => T;
}
export type TextCodec<T> = LocalCodec<string, T>;

export function displayText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Number-looking text becomes a number; other text stays text, so the schema can say what is wrong with it. */
export function parseNumberish(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return NUMBER_TEXT.test(trimmed) && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
}

export const optionalTextCodec: TextCodec<Scalar | undefined> = {
  format: displayText,
  parse: (text) => (text === "" ? undefined : text),
};

/** For fields the schema requires: an emptied input stays "" so the error names the field. */
export const requiredTextCodec: TextCodec<Scalar | undefined> = {
  format: displayText,
  parse: (text) => text,
};

export const numberCodec: TextCodec<Scalar | undefined> = {
  format: displayText,
  parse: parseNumberish,
};

/** Tags as "a, b, c". */
export const tagsCodec: TextCodec<Scalar[] | null | undefined> = {
  format: (tags) => (tags ?? []).map(displayText).join(", "),
  parse: (text) => {
    const tags = text
      .split(",")
      .map((tag) => tag.trim())
      .filter((tag) => tag !== "");
    return tags.length > 0 ? tags : undefined;
  },
};

/** Allowed values, one per line; numbers for numeric parameters. */
export function allowedCodec(numeric: boolean): TextCodec<Scalar[] | null | undefined> {
  return {
    format: (values) => (values ?? []).map(displayText).join("\n"),
    parse: (text) => {
      const values = text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .map((line) => (numeric ? (parseNumberish(line) ?? line) : line));
      return values.length > 0 ? values : undefined;
    },
  };
}
