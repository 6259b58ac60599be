import Anser from "anser";
import type { CSSProperties } from "react";

export interface Segment {
  text: string;
  className: string;
  style: CSSProperties | undefined;
}

const ESC = "\u001b";
const CUBE = [0, 95, 135, 175, 215, 255];

/** xterm's 256-colour palette above the 16 named colours (which the stylesheet themes). */
function paletteRgb(index: number): string {
  if (index >= 232) {
    const level = 8 + (index - 232) * 10;
    return `rgb(${level}, ${level}, ${level})`;
  }
  const cube = index - 16;
  return `rgb(${CUBE[Math.floor(cube / 36) % 6]}, ${CUBE[Math.floor(cube / 6) % 6]}, ${CUBE[cube % 6]})`;
}

const named = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

function colour(kind: "fg" | "bg", cls: string | null, truecolor: string | null, classes: string[], style: CSSProperties): void {
  if (!cls) return;
  const property = kind === "fg" ? "color" : "backgroundColor";
  if (cls === "ansi-truecolor") {
    if (truecolor) style[property] = `rgb(${truecolor})`;
    return;
  }
  const palette = /^ansi-palette-(\d+)$/.exec(cls);
  if (!palette) {
    classes.push(`${cls}-${kind}`);
    return;
  }
  const index = Number(palette[1]);
  if (index < 16) classes.push(`ansi-${index >= 8 ? "bright-" : ""}${named[index % 8]}-${kind}`);
  else style[property] = paletteRgb(index);
}

/** A line's text split at its ANSI SGR codes, as plain strings with classes; other escape codes are dropped. */
export function ansiSegments(line: string): Segment[] {
  if (!line.includes(ESC)) return [{ text: line, className: "", style: undefined }];
  return Anser.ansiToJson(line, { use_classes: true, remove_empty: true }).map((entry) => {
    const classes = entry.decorations.map((decoration) => `ansi-${decoration}`);
    const style: CSSProperties = {};
    colour("fg", entry.fg, entry.fg_truecolor, classes, style);
    colour("bg", entry.bg, entry.bg_truecolor, classes, style);
    return { text: entry.content, className: classes.join(" "), style: Object.keys(style).length > 0 ? style : undefined };
  });
}

/** Splits text around case-insensitive occurrences of `query`, for highlighting. */
export function splitMatches(text: string, query: string): Array<{ text: string; match: boolean }> {
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  // Lower-casing a few characters changes the string's length; offsets would no longer line up.
  if (!needle || haystack.length !== text.length) return [{ text, match: false }];
  const parts: Array<{ text: string; match: boolean }> = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}
