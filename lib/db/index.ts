import { config } from "../config/env";
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from "./client";

export type { Db, DatabaseHandle, DatabaseTarget } from "./client";
export { openDatabase, rowsOf } from "./client";
export * as schema from "./schema";

interface DatabaseGlobal {
  handrailDatabase?: Promise<DatabaseHandle>;
}
const store = globalThis as DatabaseGlobal;

export function configuredTarget(): DatabaseTarget {
  const settings = config();
  return settings.databaseUrl
    ? { kind: "postgres", url: settings.databaseUrl }
    : { kind: "pglite", dataDir: settings.pgliteDir, lockDir: settings.dataDir };
}

/** The process-wide database handle, opened lazily on first use (never at import time). */
export function database(): Promise<DatabaseHandle> {
  store.handrailDatabase ??= openDatabase(configuredTarget()).catch((error: unknown) => {
    store.handrailDatabase = undefined;
    throw error;
  });
  return store.handrailDatabase;
}

/** Tests and the CLI install an already-open handle. */
export function useDatabase(handle: DatabaseHandle): void {
  store.handrailDatabase = Promise.resolve(handle);
}

export async function closeDatabase(): Promise<void> {
  const pending = store.handrailDatabase;
  store.handrailDatabase = undefined;
  if (pending) await (await pending).close();
}
