import fs from "node:fs";
import path from "node:path";

function isHandrailRoot(dir: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name === "handrail";
  } catch {
    return false;
  }
}

function findUp(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isHandrailRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

let cached: string | undefined;

/**
 * The directory Handrail is installed in (its package.json), found from the running script (the
 * CLI, `next start`, a test runner under node_modules) or the working directory. Inside the
 * Next.js bundle a module's own location says nothing about it.
 */
export function installDir(): string {
  cached ??= findUp(path.dirname(process.argv[1] ?? ".")) ?? findUp(process.cwd()) ?? process.cwd();
  return cached;
}
