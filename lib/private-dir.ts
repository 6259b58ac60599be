import fs from "node:fs";

/**
 * Creates a directory only its owner may enter (0700), tightening an existing one we own: the data
 * directory holds the session key, the secret-store key and the embedded database.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  if (stat.uid === process.getuid?.() && (stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}
