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

/** Where case-insensitive occurrences of `query` start and end in `text`. */
function matchRanges(text: string, query: string): Array<[number, number]> {
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  // Lower-casing a few characters changes the string's length; offsets would no longer line up.
  if (!needle || haystack.length !== text.length) return [];
  const ranges: Array<[number, number]> = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length]);
  return ranges;
}

export interface MarkedSegment extends Segment {
  match: boolean;
}

/**
 * The segments cut where occurrences of `query` begin and end, each piece flagged: a match is
 * found in the text as shown, so it may span a colour change (`\e[1mERROR:\e[0m disk full`).
 */
export function markMatches(segments: readonly Segment[], query: string): MarkedSegment[] {
  const ranges = matchRanges(segments.map((segment) => segment.text).join(""), query);
  if (ranges.length === 0) return segments.map((segment) => ({ ...segment, match: false }));
  const pieces: MarkedSegment[] = [];
  let offset = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    const cuts = new Set([offset, end]);
    for (const [start, stop] of ranges) for (const point of [start, stop]) if (point > offset && point < end) cuts.add(point);
    const sorted = [...cuts].sort((a, b) => a - b);
    for (let index = 0; index + 1 < sorted.length; index += 1) {
      const from = sorted[index] as number;
      const to = sorted[index + 1] as number;
      const match = ranges.some(([start, stop]) => from >= start && from < stop);
      pieces.push({ ...segment, text: segment.text.slice(from - offset, to - offset), match });
    }
    offset = end;
  }
  return pieces;
}
