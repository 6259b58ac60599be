import { entityKind } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Whether `tx` is a transaction of the embedded database. There one process holds the data
 * directory and PGlite runs one transaction at a time (a plain query waits for an open transaction
 * too), so nothing can run beside it: the advisory locks that serialise processes on PostgreSQL
 * would only cost a statement each on the server's one thread.
 */
export function runsAlone(tx: Db): boolean {
  return (tx.constructor as { [entityKind]?: string })[entityKind] === "PgliteTransaction";
}
