import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsersInstalledOnce } from "./pglite-parsers";

const TIMESTAMPTZ = 1184;
const asText = { [TIMESTAMPTZ]: (value: string) => value };
const STAMP = "select '2026-12-05 01:02:03+00'::timestamptz as at";

describe("type parsers installed once on the embedded database", () => {
  let client: PGlite;
  beforeAll(async () => {
    client = parsersInstalledOnce(await PGlite.create());
  });
  afterAll(async () => {
    await client.close();
  });

  it("parses rows as the parsers a query brings say, before and after they are installed", async () => {
    const first = await client.query<{ at: unknown }>(STAMP, [], { parsers: asText });
    const again = await client.query<{ at: unknown }>(STAMP, [], { parsers: { [TIMESTAMPTZ]: (value: string) => value } });
    expect(first.rows[0]?.at).toBe("2026-12-05 01:02:03+00");
    expect(again.rows[0]?.at).toBe("2026-12-05 01:02:03+00");
  });

  it("sends a query that brings the same parsers without them: the installed ones parse its rows", async () => {
    const installed = client.parsers[TIMESTAMPTZ];
    if (!installed) throw new Error("the parsers were not installed");
    let calls = 0;
    client.parsers[TIMESTAMPTZ] = (value: string) => {
      calls += 1;
      return installed(value);
    };
    try {
      const result = await client.query<{ at: unknown }>(STAMP, [], { parsers: asText });
      await client.transaction((tx) => tx.query(STAMP, [], { parsers: asText }));
      expect(result.rows[0]?.at).toBe("2026-12-05 01:02:03+00");
      expect(calls).toBe(2);
    } finally {
      client.parsers[TIMESTAMPTZ] = installed;
    }
  });

  it("keeps them inside a transaction, where the transaction's own handle still works", async () => {
    const at = await client.transaction(async (tx) => {
      await tx.query("create temporary table stamps (at timestamptz)");
      await tx.query("insert into stamps values ('2026-12-05 01:02:03+00')");
      const result = await tx.query<{ at: unknown }>("select at from stamps", [], { parsers: asText, rowMode: "object" });
      expect(tx.closed).toBe(false);
      return result.rows[0]?.at;
    });
    expect(at).toBe("2026-12-05 01:02:03+00");
  });

  it("lets other parsers through as they are", async () => {
    const shouted = await client.query<{ at: unknown }>(STAMP, [], { parsers: { [TIMESTAMPTZ]: (value: string) => `at ${value}` } });
    const inTransaction = await client.transaction((tx) => tx.query<{ at: unknown }>(STAMP, [], { parsers: { [TIMESTAMPTZ]: (value: string) => `at ${value}` } }));
    expect(shouted.rows[0]?.at).toBe("at 2026-12-05 01:02:03+00");
    expect(inTransaction.rows[0]?.at).toBe("at 2026-12-05 01:02:03+00");
  });
});
