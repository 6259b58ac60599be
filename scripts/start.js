#!/usr/bin/env node
// `npm start`: build if the build is missing or older than the sources, make sure an AUTH_SECRET
// (and, on the embedded database, a HANDRAIL_SECRET_KEY) exists, then run scripts/server.js. The
// server itself migrates, seeds and loads runbooks on boot.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const dev = process.argv.includes("--dev");

function newestMtime(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

function buildIsStale() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const sources = ["app", "lib", "instrumentation.ts", "next.config.js", "package.json", "package-lock.json"];
  return Math.max(...sources.map((entry) => newestMtime(path.join(root, entry)))) > fs.statSync(buildId).mtimeMs;
}

/**
 * A development secret generated once into the data directory (mode 600); production sets the
 * variable. HANDRAIL_SECRET_KEY encrypts the secret store, so losing the file loses those secrets.
 */
function developmentSecret(variable, fileName, bytes) {
  if (process.env[variable]) return process.env[variable];
  const dataDir = path.resolve(root, process.env.HANDRAIL_DATA_DIR || ".handrail");
  const file = path.join(dataDir, fileName);
  // Only Handrail's own user may enter the data directory: it holds these keys and the database.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (fs.statSync(dataDir).uid === process.getuid?.()) fs.chmodSync(dataDir, 0o700);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, randomBytes(bytes).toString("base64"), { mode: 0o600 });
    console.log(`[handrail] generated a development ${variable} in ${file}`);
  }
  return fs.readFileSync(file, "utf8").trim();
}

const env = {
  ...process.env,
  // Only with the embedded database: a PostgreSQL deployment's processes must all share one key, set by the operator.
  ...(process.env.DATABASE_URL ? {} : { HANDRAIL_SECRET_KEY: developmentSecret("HANDRAIL_SECRET_KEY", "secret-key", 32) }),
  AUTH_SECRET: developmentSecret("AUTH_SECRET", "auth-secret", 33),
  AUTH_TRUST_HOST: "true",
  NEXT_MANUAL_SIG_HANDLE: "true",
  NEXT_TELEMETRY_DISABLED: "1",
};

if (!dev && buildIsStale()) {
  console.log("[handrail] building the app (npm run build) ...");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT || "3000";
// Development runs `next dev` (it records no client address); production runs Handrail's own server.
const command = dev ? [nextBin, "dev", "-p", port] : [path.join(root, "scripts", "server.js"), "--port", port];
const server = spawn(process.execPath, command, { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
