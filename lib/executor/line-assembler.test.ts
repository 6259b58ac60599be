import { describe, expect, it } from "vitest";
import type { OutputStream } from "../db/schema";
import { LineAssembler, MAX_LINE_CHARS } from "./line-assembler";

function assemble(secrets: string[], chunks: Array<[OutputStream, string]>) {
  const lines: Array<[OutputStream, string]> = [];
  const assembler = new LineAssembler(secrets, (stream, line) => lines.push([stream, line]));
  for (const [stream, chunk] of chunks) assembler.write(stream, chunk);
  assembler.end();
  return lines;
}

describe("LineAssembler", () => {
  it("joins chunks into lines per stream and strips CR", () => {
    expect(assemble([], [["stdout", "a"], ["stderr", "x\n"], ["stdout", "b\r\nc"]])).toEqual([
      ["stderr", "x"],
      ["stdout", "ab"],
      ["stdout", "c"],
    ]);
  });

  it("masks a secret split across chunks", () => {
    const lines = assemble(["hunter2-secret"], [["stdout", "token=hunt"], ["stdout", "er2-sec"], ["stdout", "ret done\n"]]);
    expect(lines).toEqual([["stdout", "token=******** done"]]);
  });

  it("masks the longer of two overlapping secrets whole", () => {
    expect(assemble(["abc", "abcdef"], [["stdout", "abcdef abc\n"]])).toEqual([["stdout", "******** ********"]]);
  });

  it("never lets a secret straddle the cut of an over-long line, however the chunks fall", () => {
    const secret = "S3CRET-VALUE-42";
    const filler = "x".repeat(MAX_LINE_CHARS - 5);
    const text = `${filler}${secret}${"y".repeat(100)}\n`;
    for (const split of [MAX_LINE_CHARS - 3, MAX_LINE_CHARS, MAX_LINE_CHARS + 2, MAX_LINE_CHARS + 9]) {
      const lines = assemble([secret], [["stdout", text.slice(0, split)], ["stdout", text.slice(split)]]);
      const joined = lines.map(([, line]) => line).join("");
      expect(joined).not.toContain("S3CRET");
      expect(lines.every(([, line]) => line.length <= MAX_LINE_CHARS)).toBe(true);
      expect(joined.replace("********", secret)).toBe(text.slice(0, -1));
    }
  });

  it("cuts a line with no secrets into pieces of the maximum length", () => {
    const lines = assemble([], [["stdout", "z".repeat(MAX_LINE_CHARS * 2 + 10)]]);
    expect(lines.map(([, line]) => line.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS, 10]);
  });

  it("masks every line of a multi-line secret, whatever the line breaks and however the chunks fall", () => {
    for (const secret of ["Multi\nLineSecret", "abc\r\ndefghi", "one\rtwo-three"]) {
      const printed = `before ${secret} after\n`;
      for (let split = 1; split < printed.length; split += 3) {
        const lines = assemble([secret], [["stdout", printed.slice(0, split)], ["stdout", printed.slice(split)]]);
        const joined = lines.map(([, line]) => line).join("\n");
        for (const piece of secret.split(/\r\n|\n|\r/)) expect(joined).not.toContain(piece);
      }
    }
  });

  it("masks a PEM key printed in full, line by line, leaving its 2-character lines and the text around it", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nq8==\n-----END PRIVATE KEY-----";
    const lines = assemble([key, "ok"], [["stdout", `key:\n${key}\ndone\n`]]);
    expect(lines.map(([, line]) => line)).toEqual(["key:", "********", "********", "********", "********", "done"]);
  });

  it("shows a NUL byte as ␀, since the store cannot hold it", () => {
    expect(assemble([], [["stdout", "a\u0000b\n"]])).toEqual([["stdout", "a\u2400b"]]);
  });
});
