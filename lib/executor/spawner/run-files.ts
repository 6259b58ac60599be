import fs from "node:fs";
import path from "node:path";
import type { RunCredentials } from "../isolation/wrap-command";
import { MAX_OUTPUTS_FILE_BYTES, type CollectedOutputs, type RunFile } from "./protocol";

/** Writes a run's (or a step's) files into its directory, then gives the whole directory to the run's uid. */
export function writeFiles(workDir: string, files: readonly RunFile[], credentials: RunCredentials | undefined): void {
  for (const file of files) {
    const target = path.resolve(workDir, file.path);
    if (!target.startsWith(`${workDir}${path.sep}`)) throw new Error(`file ${file.path} is outside the run's directory`);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, file.content, { mode: file.mode });
  }
  if (credentials) chownTree(workDir, credentials);
}

function chownTree(dir: string, credentials: RunCredentials): void {
  fs.chownSync(dir, credentials.uid, credentials.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, credentials);
    else fs.chownSync(child, credentials.uid, credentials.gid);
  }
}

/** A new run directory, owned by the run's uid: the script and files go in before the command starts. */
export function makeRunDir(workDir: string, credentials: RunCredentials | undefined): void {
  fs.mkdirSync(workDir, { mode: 0o700 });
  if (credentials) fs.chownSync(workDir, credentials.uid, credentials.gid);
}

/**
 * Reads a step's outputs file as the run left it. The run could have replaced it with a link to a
 * file only this process may read (it runs as root), so it is opened without following links and
 * taken only when it is a plain file of the run's own uid with one name.
 */
export function readOutputsFile(file: string, uid: number): CollectedOutputs {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? "the outputs file was removed" : code === "ELOOP" ? "the outputs file was replaced by a link" : `the outputs file cannot be read (${code})` };
  }
  try {
    const stat = fs.fstatSync(descriptor);
    if (!stat.isFile()) return { problem: "the outputs file is not a plain file" };
    if (stat.uid !== uid || stat.nlink !== 1) return { problem: "the outputs file was replaced by another file" };
    if (stat.size > MAX_OUTPUTS_FILE_BYTES) return { problem: `the outputs file holds ${stat.size} bytes, more than ${MAX_OUTPUTS_FILE_BYTES}` };
    const buffer = Buffer.alloc(MAX_OUTPUTS_FILE_BYTES + 1);
    const length = fs.readSync(descriptor, buffer, 0, buffer.length, 0);
    if (length > MAX_OUTPUTS_FILE_BYTES) return { problem: `the outputs file holds more than ${MAX_OUTPUTS_FILE_BYTES} bytes` };
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length)) };
    } catch {
      return { problem: "the outputs file is not valid UTF-8 text" };
    }
  } finally {
    fs.closeSync(descriptor);
  }
}
