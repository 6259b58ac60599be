import { describe, expect, it } from "vitest";
import { sideBySide } from "./side-by-side";

describe("side-by-side diff", () => {
  it("pairs a changed line across one row and keeps line numbers on each side", () => {
    const rows = sideBySide("a\nb\nc\n", "a\nB\nc\nd\n");
    expect(rows).toEqual([
      { kind: "same", left: { number: 1, text: "a" }, right: { number: 1, text: "a" } },
      { kind: "changed", left: { number: 2, text: "b" }, right: { number: 2, text: "B" } },
      { kind: "same", left: { number: 3, text: "c" }, right: { number: 3, text: "c" } },
      { kind: "added", right: { number: 4, text: "d" } },
    ]);
  });

  it("shows a removal with nothing on the right", () => {
    expect(sideBySide("a\nb\n", "a\n")).toEqual([
      { kind: "same", left: { number: 1, text: "a" }, right: { number: 1, text: "a" } },
      { kind: "removed", left: { number: 2, text: "b" } },
    ]);
  });

  it("has only same rows for identical texts", () => {
    expect(sideBySide("x\ny", "x\ny").every((row) => row.kind === "same")).toBe(true);
  });
});
