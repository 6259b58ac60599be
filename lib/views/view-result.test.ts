import { describe, expect, it } from "vitest";
import { parseViewResult } from "./view-result";

describe("a view's result line", () => {
  it("reads the documented shape", () => {
    const line = JSON.stringify({ status: "warn", headline: "p95 212 ms", value: 212, unit: "ms", table: { columns: ["probe", "ms"], rows: [[1, 212], [2, null]] } });
    expect(parseViewResult(line)).toEqual({ ok: true, result: JSON.parse(line) });
    expect(parseViewResult('  {"status":"ok","headline":"fine"}  ')).toEqual({ ok: true, result: { status: "ok", headline: "fine" } });
  });

  it("says exactly why a line is not a result", () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /output is empty/],
      ["all good", /not a JSON object/],
      ["{status: ok}", /not valid JSON/],
      ['{"status":"green","headline":"x"}', /^status: must be "ok", "warn" or "critical"/],
      ['{"status":"ok"}', /^headline:/],
      ['{"status":"ok","headline":"x","value":"12"}', /^value:/],
      ['{"status":"ok","headline":"x","colour":"red"}', /colour/],
      [JSON.stringify({ status: "ok", headline: "x", table: { columns: ["a"], rows: Array.from({ length: 21 }, () => [1]) } }), /^table\.rows: at most 20 rows/],
      [JSON.stringify({ status: "ok", headline: "x".repeat(201) }), /^headline: must be at most 200/],
      [`{"status":"ok","headline":"${"x".repeat(20_000)}"}`, /at most 16384/],
    ];
    for (const [line, message] of cases) {
      const parsed = parseViewResult(line);
      expect({ line: line?.slice(0, 60), parsed }).toMatchObject({ parsed: { ok: false, error: expect.stringMatching(message) } });
    }
  });
});
