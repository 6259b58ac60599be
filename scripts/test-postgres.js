#!/usr/bin/env node
// Runs the integration suite (*.integration.test.ts) again on PostgreSQL when DATABASE_URL is set.
// Each test file creates and drops its own database from that server.
import { spawnSync } from "node:child_process";

if (!process.env.DATABASE_URL) {
  console.log("PostgreSQL integration run not performed: DATABASE_URL is not set (the PGlite run above covered the same suite; CI runs it on PostgreSQL under Node 24, `npm run test:node24`).");
  process.exit(0);
}
const result = spawnSync("npx", ["vitest", "run", ".integration.test."], {
  stdio: "inherit",
  env: { ...process.env, HANDRAIL_TEST_DRIVER: "postgres" },
});
process.exit(result.status ?? 1);
