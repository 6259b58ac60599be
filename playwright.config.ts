import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

export const e2ePort = 3210;
export const e2eDataDir = path.join(os.tmpdir(), `handrail-e2e-${e2ePort}`);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${e2ePort}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    viewport: { width: 1366, height: 860 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node scripts/e2e-server.js",
    url: `http://localhost:${e2ePort}/api/v1/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      DATABASE_URL: "",
      HANDRAIL_DATA_DIR: e2eDataDir,
      HANDRAIL_DEMO: "on",
      PORT: String(e2ePort),
      AUTH_SECRET: "e2e-secret-not-for-production-0123456789",
    },
  },
});
