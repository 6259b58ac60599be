import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from ".";
import { openTestDatabase, testDriver } from "../testing/test-database";
import { runsAlone } from "./runs-alone";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
});
afterAll(async () => dispose?.());

describe(`transactions that run alone (${testDriver})`, () => {
  it("are the embedded database's only, where the cross-process locks are skipped", async () => {
    expect(await handle.db.transaction(async (tx) => runsAlone(tx))).toBe(testDriver === "pglite");
  });

  it.skipIf(testDriver !== "pglite")("on the embedded database really do: a query sent while a transaction is open waits for it to end", async () => {
    const order: string[] = [];
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => (releaseTransaction = resolve));
    const transaction = handle.db.transaction(async (tx) => {
      await tx.execute("select 1");
      order.push("transaction began");
      await held;
      order.push("transaction ends");
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = handle.db.execute("select 1").then(() => order.push("outside query answered"));
    const other = handle.db.transaction(async () => void order.push("second transaction ran"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseTransaction();
    await Promise.all([transaction, outside, other]);
    expect(order).toEqual(["transaction began", "transaction ends", "outside query answered", "second transaction ran"]);
  });
});
