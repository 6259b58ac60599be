#!/usr/bin/env node
// `npm run test:node24`: the unit and integration tests again, under Node 24 (the current LTS), on a machine
// whose own Node is 20. Node 24 comes from the npm registry's `node` package (`npx -y node@24`, cached by npm),
// so nothing is installed system-wide. Its directory goes first on PATH, so everything the tests start — vitest's
// workers, `node`, the CLI through tsx — runs under 24 as well.
//
// With DATABASE_URL set, the integration tests (*.integration.test.*) run on that PostgreSQL server, as in
// `npm run test:pg`; without it they run on PGlite. The other tests do not depend on the driver. Extra arguments
// go to `vitest run` (a file filter, `--exclude`, …).
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";

const wanted = "24";
let node;
try {
  node = execFileSync("npx", ["-y", `node@${wanted}`, "-p", "process.execPath"], { encoding: "utf8" }).trim();
} catch (error) {
  console.error(`Could not get Node ${wanted} with \`npx -y node@${wanted}\`: ${error.message}`);
  process.exit(1);
}
const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}` };
// Ask `node` as the tests will find it on PATH, not just the binary npx returned.
const version = execFileSync("node", ["-p", "process.version"], { encoding: "utf8", env }).trim();
if (!version.startsWith(`v${wanted}.`)) {
  console.error(`Expected Node ${wanted}, but \`node\` on the test PATH is ${version} (${node}).`);
  process.exit(1);
}
const driver = process.env.DATABASE_URL ? "postgres" : "pglite";
env.HANDRAIL_TEST_DRIVER = driver;
console.log(
  `Node ${version} (${node}): unit tests, and integration tests on ${driver === "postgres" ? "PostgreSQL" : "PGlite"}`,
);

const vitest = path.join(process.cwd(), "node_modules", "vitest", "vitest.mjs");
const result = spawnSync(node, [vitest, "run", ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
