import js from "@eslint/js";
import drizzle from "eslint-plugin-drizzle";
import globals from "globals";
import tseslint from "typescript-eslint";

const frameworkImports = {
  group: ["next", "next/*", "next-auth", "next-auth/*", "react", "react-dom", "@/*"],
  message: "lib/executor, lib/runs and lib/db run in a plain Node worker: no Next.js, auth or React here.",
};
const upperLayerImports = {
  group: ["**/services/*", "**/services/**", "**/auth/*", "**/auth/**", "**/api/*", "**/api/**", "**/server/*"],
  message: "lib/executor, lib/runs and lib/db sit below the services, auth and API layers and must not import them.",
};

export default tseslint.config(
  {
    ignores: [".next/**", "node_modules/**", "test-results/**", "playwright-report/**", "drizzle/**", "next-env.d.ts", ".handrail/**", "runbooks/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    files: ["lib/executor/**/*.ts", "lib/runs/**/*.ts", "lib/db/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [frameworkImports, upperLayerImports] }] },
  },
  {
    // The run lifecycle (lib/runs) is how services move runs; the executor is the worker's own.
    files: ["lib/services/**/*.ts"],
    ignores: ["lib/services/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/executor/*", "!**/executor/isolation", "**/executor/spawner/**"],
              message: "Services never import the executor: move runs through lib/runs (its transitions, notices and channels). Only the isolation settings (a fact about the host) may be read.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "@/lib/db/*", "**/lib/db/*"],
              allowTypeImports: true,
              message: "app/ reaches data through lib/services only (type imports are fine).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["scripts/**/*.js", "bin/**/*.js", "*.config.js", "eslint.config.js", "next.config.js"],
    languageOptions: { globals: { ...globals.node } },
  },
);
