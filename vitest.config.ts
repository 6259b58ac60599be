import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "app/**/*.test.ts"],
    testTimeout: 30_000,
    // Two files at a time: most of a test's time is spent waiting on processes and the database, and
    // one at a time (vitest's default on 2 cores) took CI close to its 30 minutes.
    maxWorkers: 2,
    setupFiles: ["lib/testing/vitest-setup.ts"],
    hookTimeout: 60_000,
    // Test webhook receivers listen on loopback, which webhooks may not reach by default.
    env: { AUTH_SECRET: "test-secret-for-vitest-only-0123456789", HANDRAIL_WEBHOOK_ALLOW_NETWORKS: "127.0.0.0/8" },
  },
});
