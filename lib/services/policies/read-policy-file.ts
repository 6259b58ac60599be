import fs from "node:fs";
import { parsePolicyFile, type PolicyFile } from "../../policy/policy-file";

/** Reads a policies file from disk; an unreadable file is reported like any other error in it. */
export function readPolicyFile(file: string): PolicyFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    return { policies: [], tests: [], errors: [{ file, where: "(file)", field: "(file)", message: (error as Error).message }] };
  }
  return parsePolicyFile(text, file);
}
