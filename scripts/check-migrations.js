#!/usr/bin/env node
// Fails when lib/db/schema.ts and the migrations in drizzle/ disagree: drizzle-kit would write a
// new migration. Any file it writes is removed again, so the check changes nothing.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const before = new Set(fs.readdirSync("drizzle", { recursive: true }).map(String));
const kit = (args) => spawnSync("npx", ["drizzle-kit", ...args], { encoding: "utf8" });
const check = kit(["check"]);
if (check.status !== 0) {
  process.stderr.write(check.stdout + check.stderr);
  process.exit(1);
}
const generate = kit(["generate", "--name", "schema_drift_check"]);
const written = fs.readdirSync("drizzle", { recursive: true }).map(String).filter((file) => !before.has(file));
if (written.length > 0 || !/No schema changes/.test(generate.stdout)) {
  process.stderr.write(`lib/db/schema.ts and drizzle/ disagree; run \`npx drizzle-kit generate --name <change>\` and commit the migration.\n${generate.stdout}${generate.stderr}`);
  const journal = path.join("drizzle", "meta", "_journal.json");
  spawnSync("git", ["checkout", "--", journal]);
  for (const file of written) fs.rmSync(path.join("drizzle", file), { force: true, recursive: true });
  process.exit(1);
}
console.log("drizzle: schema and migrations agree");
