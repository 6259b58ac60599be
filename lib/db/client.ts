import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { acquireDataDirLock } from "./pglite-lock";
import { parsersInstalledOnce } from "./pglite-parsers";
import { inProcessChannels } from "./in-process-channels";
import { ensurePrivateDir } from "../private-dir";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string | undefined; lockDir?: string };

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseTarget["kind"];
  /** Run raw SQL and get rows back as an array on either driver. */
  query<Row>(statement: SQL): Promise<Row[]>;
  notify(channel: string, payload: string): Promise<void>;
  /** One database listener per channel per process, fanned out in memory. */
  subscribe(channel: string, listener: (payload: string) => void): Promise<() => void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

function migrationsFolder(): string {
  const candidates = [
    path.resolve(process.cwd(), "drizzle"),
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle"),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "meta", "_journal.json")));
  if (!found) throw new Error(`migrations not found (looked in ${candidates.join(", ")})`);
  return found;
}

const MIGRATION_LOCK = 0x68_72_6d_67; // "hrmg"

export function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

interface Listening {
  emitter: EventEmitter;
  stops: Map<string, Promise<() => Promise<void>>>;
}

function fanOut(listenOnce: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>) {
  const state: Listening = { emitter: new EventEmitter(), stops: new Map() };
  state.emitter.setMaxListeners(0);
  return {
    async subscribe(channel: string, listener: (payload: string) => void) {
      if (!state.stops.has(channel)) {
        state.stops.set(
          channel,
          listenOnce(channel, (payload) => state.emitter.emit(channel, payload)),
        );
      }
      await state.stops.get(channel);
      state.emitter.on(channel, listener);
      return () => {
        state.emitter.off(channel, listener);
      };
    },
    async stopAll() {
      for (const stop of state.stops.values()) await (await stop)();
      state.stops.clear();
    },
  };
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: 10, onnotice: () => undefined });
  const db = drizzle(client, { schema }) as unknown as Db;
  const listeners = fanOut(async (channel, onPayload) => {
    const { unlisten } = await client.listen(channel, onPayload);
    return unlisten;
  });
  return {
    db,
    kind: "postgres",
    query: async <Row>(statement: SQL) => rowsOf<Row>(await db.execute(statement)),
    notify: async (channel, payload) => {
      await client`select pg_notify(${channel}, ${payload})`;
    },
    subscribe: listeners.subscribe,
    // Several web and worker processes may start at once: one migrates, the others wait for it.
    migrate: async () => {
      const single = postgres(url, { max: 1, onnotice: () => undefined });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migrate(drizzle(single, { schema }), { migrationsFolder: migrationsFolder() });
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    close: async () => {
      await listeners.stopAll();
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string | undefined, lockDir: string | undefined): Promise<DatabaseHandle> {
  const release = dataDir ? acquireDataDirLock(lockDir ?? path.dirname(dataDir)) : () => undefined;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    if (dataDir) ensurePrivateDir(dataDir);
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    // pg_trgm backs the audit log's substring search (actor, free text).
    const client = parsersInstalledOnce(await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } }));
    const pgliteDb = drizzle(client, { schema });
    const db = pgliteDb as unknown as Db;
    const channels = inProcessChannels();
    return {
      db,
      kind: "pglite",
      query: async <Row>(statement: SQL) => rowsOf<Row>(await db.execute(statement)),
      notify: channels.notify,
      subscribe: channels.subscribe,
      migrate: () => migrate(pgliteDb, { migrationsFolder: migrationsFolder() }),
      close: async () => {
        channels.stopAll();
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === "postgres" ? openPostgres(target.url) : openPglite(target.dataDir, target.lockDir);
}
