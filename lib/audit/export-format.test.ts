import { describe, expect, it } from "vitest";
import { csvHeader, toCsvLine } from "./export-format";
import type { ChainRow } from "./verify";

const row = (overrides: Partial<ChainRow>): ChainRow => ({
  id: 7,
  seq: 7,
  at: "2026-12-03T10:00:00.000Z",
  actorType: "anonymous",
  actorId: null,
  actorEmail: "ops@example.com",
  action: "auth.sign_in",
  outcome: "failure",
  subjectType: "user",
  subjectId: null,
  versionHash: null,
  details: { reason: "unknown email" },
  ip: "127.0.0.1",
  userAgent: null,
  prevHash: "a".repeat(64),
  hash: "b".repeat(64),
  ...overrides,
});

describe("audit CSV export", () => {
  it("writes one record per event under the header, quoting what needs it", () => {
    expect(csvHeader.split(",")).toHaveLength(16);
    expect(toCsvLine(row({}))).toBe(
      `7,7,2026-12-03T10:00:00.000Z,anonymous,,ops@example.com,auth.sign_in,failure,user,,,"{""reason"":""unknown email""}",127.0.0.1,,${"a".repeat(64)},${"b".repeat(64)}\n`,
    );
  });

  it("neutralises a value a spreadsheet would run as a formula", () => {
    for (const email of ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) {
      const fields = toCsvLine(row({ actorEmail: email }));
      expect(fields).not.toMatch(/,"?[=+\-@\t\r]/);
      expect(fields).toContain("'");
    }
  });
});
