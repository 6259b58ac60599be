import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AUTH_SECRET: "test-secret-for-vitest-only-0123456789" },
  },
});
