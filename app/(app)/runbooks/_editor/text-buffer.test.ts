import { describe, expect, it } from "vitest";
import { editedBuffer, initialBuffer, reconcileBuffer } from "./text-buffer";
import { allowedCodec, numberCodec, parseNumberish, tagsCodec } from "./text-values";

describe("text values", () => {
  it("parses number-looking text into numbers and leaves the rest for the schema to reject", () => {
    expect(parseNumberish(" 42 ")).toBe(42);
    expect(parseNumberish("1.5")).toBe(1.5);
    expect(parseNumberish("")).toBeUndefined();
    expect(parseNumberish("12abc")).toBe("12abc");
  });

  it("reads tags and allowed values", () => {
    expect(tagsCodec.parse("a, b,, c ")).toEqual(["a", "b", "c"]);
    expect(tagsCodec.parse(" ")).toBeUndefined();
    expect(allowedCodec(true).parse("1\n\n2.5\nx")).toEqual([1, 2.5, "x"]);
    expect(allowedCodec(false).parse("1\nstaging")).toEqual(["1", "staging"]);
  });
});

describe("text buffer", () => {
  it("keeps half-typed text whose value is what the draft holds", () => {
    const typed = editedBuffer("1.", numberCodec);
    expect(typed.value).toBe(1);
    expect(reconcileBuffer(typed.state, 1, numberCodec)).toBe(typed.state);
    const tags = editedBuffer("a, ", tagsCodec);
    expect(reconcileBuffer(tags.state, ["a"], tagsCodec).local).toBe("a, ");
  });

  it("replaces the text when the value changes elsewhere", () => {
    const state = initialBuffer(5, numberCodec);
    expect(reconcileBuffer(state, 7, numberCodec)).toEqual({ local: "7", basis: "7" });
    expect(reconcileBuffer(state, undefined, numberCodec)).toEqual({ local: "", basis: "undefined" });
  });

  it("only adopts a new basis when the text already means the new value", () => {
    const state = { local: "3", basis: "4" };
    expect(reconcileBuffer(state, 3, numberCodec)).toEqual({ local: "3", basis: "3" });
  });
});
