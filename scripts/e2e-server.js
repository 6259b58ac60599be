#!/usr/bin/env node
// Serves the production build for Playwright on a fresh embedded data directory.
// First boot creates the demo users exactly as `npm start` does; after a clean stop the CLI mints
// API tokens for them (the CLI cannot open the data directory while a server holds it); then the
// server starts again and stays up.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = process.env.HANDRAIL_DATA_DIR;
const port = process.env.PORT;
if (!dataDir || !port) throw new Error("HANDRAIL_DATA_DIR and PORT are required");

// The setup boot listens elsewhere so Playwright does not mistake it for the server under test.
const setupPort = String(Number(port) + 1);

function startServer(listenPort) {
  return spawn(process.execPath, [path.join(root, "scripts", "start.js")], {
    cwd: root,
    env: { ...process.env, PORT: listenPort },
    stdio: "inherit",
  });
}

async function waitForHealth(child, listenPort) {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://localhost:${listenPort}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("server did not become healthy");
}

fs.rmSync(dataDir, { recursive: true, force: true });
const first = startServer(setupPort);
await waitForHealth(first, setupPort);
// Booting (migrations, demo users, runbooks) finishes before the first request is served.
await fetch(`http://localhost:${setupPort}/signin`);
first.kill("SIGTERM");
await new Promise((resolve) => first.once("exit", resolve));

const tokens = {};
for (const role of ["developer", "operator", "operator2", "auditor", "admin"]) {
  const result = spawnSync(process.execPath, [path.join(root, "bin", "handrail.js"), "token", "create", "--email", `${role}@handrail.local`, "--label", "e2e"], {
    cwd: root,
    env: process.env,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`token create failed: ${result.stderr}`);
  tokens[role] = result.stdout.trim().split("\n").at(-1);
}
fs.writeFileSync(path.join(dataDir, "e2e-tokens.json"), JSON.stringify(tokens), { mode: 0o600 });

const server = startServer(port);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
