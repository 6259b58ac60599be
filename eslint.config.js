import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
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
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ...nextPlugin.configs["core-web-vitals"],
  },
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
    // Configuration is read first by every process, so it stands on nothing of Handrail's own.
    files: ["lib/config/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["../*", "../**", "@/*"], message: "lib/config parses settings and imports nothing above it: put the parser here and let the feature import it." }] },
      ],
    },
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
    ignores: ["app/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "@/lib/db/*", "**/lib/db/*"],
              allowTypeImports: false,
              message: "app/ reaches data through lib/services only; shared names (statuses, roles) live in small pure modules under lib/.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests hold a database handle (its type only) to arrange and check rows.
    files: ["app/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "@/lib/db/*", "**/lib/db/*"],
              allowTypeImports: true,
              message: "app/ reaches data through lib/services only; shared names (statuses, roles) live in small pure modules under lib/.",
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
