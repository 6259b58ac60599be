import fs from "node:fs";
import path from "node:path";
import { MAX_FILE_BYTES, MAX_FILES_TOTAL_BYTES, type BundledFile } from "./files";

export interface FileProblem {
  field: string;
  message: string;
}

// ignoreBOM keeps a leading BOM in the text, so the run gets back the very bytes that were read.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const mib = (bytes: number) => `${bytes / (1024 * 1024)} MiB`;

function readOne(dir: string, realDir: string, relative: string): { content: string; bytes: number } | string {
  const absolute = path.resolve(dir, relative);
  let real: string;
  try {
    real = fs.realpathSync(absolute);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code === "ENOENT" ? `file not found: ${absolute}` : `cannot read ${absolute}: ${message}`;
  }
  // The path itself cannot climb out (no ".."), but a symlink could.
  const inside = path.relative(realDir, real);
  if (inside === ".." || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return `${relative} resolves to ${real}, outside the runbook's directory`;
  const stat = fs.statSync(real);
  if (!stat.isFile()) return `${relative} is not a regular file`;
  if (stat.size > MAX_FILE_BYTES) return `${relative} is larger than ${mib(MAX_FILE_BYTES)} (${stat.size} bytes)`;
  const bytes = fs.readFileSync(real);
  if (bytes.length > MAX_FILE_BYTES) return `${relative} is larger than ${mib(MAX_FILE_BYTES)} (${bytes.length} bytes)`;
  let content: string;
  try {
    content = utf8.decode(bytes);
  } catch {
    return `${relative} is not valid UTF-8 text; files can carry text only`;
  }
  // Valid UTF-8, but the version is stored as jsonb, which cannot hold \u0000.
  if (content.includes("\0")) return `${relative} contains NUL bytes, so it is not text; files can carry text only`;
  return { content, bytes: bytes.length };
}

/** Reads a runbook's `files:` relative to its YAML file, into the text a version stores. */
export function readBundledFiles(yamlFile: string, paths: readonly string[]): { files: BundledFile[] } | { problems: FileProblem[] } {
  const dir = path.dirname(yamlFile);
  const realDir = fs.realpathSync(dir);
  const files: BundledFile[] = [];
  const problems: FileProblem[] = [];
  let total = 0;
  paths.forEach((relative, index) => {
    const read = readOne(dir, realDir, relative);
    if (typeof read === "string") {
      problems.push({ field: `files.${index}`, message: read });
      return;
    }
    files.push({ path: relative, content: read.content });
    total += read.bytes;
  });
  if (total > MAX_FILES_TOTAL_BYTES) {
    problems.push({ field: "files", message: `the files add up to ${total} bytes, more than ${mib(MAX_FILES_TOTAL_BYTES)}` });
  }
  return problems.length > 0 ? { problems } : { files };
}
