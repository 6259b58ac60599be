import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closeDatabase, openDatabase, useDatabase, type DatabaseHandle } from "../db";
import { prepareDatabase } from "../services/prepare-database";

/** Which database the integration suite runs on: PGlite by default, PostgreSQL with HANDRAIL_TEST_DRIVER=postgres. */
export const testDriver: "pglite" | "postgres" = process.env.HANDRAIL_TEST_DRIVER === "postgres" ? "postgres" : "pglite";

/**
 * A fresh, migrated database for one test file, installed as the process-wide handle.
 * On PostgreSQL each file gets its own database, dropped afterwards, so runs never see each other's rows.
 */
export async function openTestDatabase(): Promise<{ handle: DatabaseHandle; dispose: () => Promise<void>; url?: string }> {
  if (testDriver === "pglite") {
    const handle = await openDatabase({ kind: "pglite", dataDir: undefined });
    await prepareDatabase(handle);
    useDatabase(handle);
    return { handle, dispose: closeDatabase };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error("HANDRAIL_TEST_DRIVER=postgres needs DATABASE_URL");
  const name = `handrail_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: "postgres", url: url.toString() });
  await prepareDatabase(handle);
  useDatabase(handle);
  return {
    handle,
    url: url.toString(),
    dispose: async () => {
      await closeDatabase();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Writes runbook files into a fresh temporary directory and returns it. */
export function writeRunbookDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-runbooks-"));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: name.endsWith(".yaml") ? 0o644 : 0o755 });
  }
  return dir;
}
