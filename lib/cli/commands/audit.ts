import fs from "node:fs";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { parseJsonLine } from "../../audit/export-format";
import { verifyChain, type ChainRow } from "../../audit/verify";
import { chainHead, verifyStoredChain } from "../../services/audit/verify-audit-log";
import { openMigrated, UsageError, type CliCommand } from "../support";

async function* fileRows(file: string): AsyncGenerator<ChainRow> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() !== "") yield parseJsonLine(line, number);
  }
}

async function fileHasHash(file: string, hash: string): Promise<boolean> {
  for await (const row of fileRows(file)) if (row.hash === hash) return true;
  return false;
}

export const auditCommands: CliCommand[] = [
  {
    name: "audit verify",
    usage: "audit verify [--file export.jsonl [--complete]]\n                                            walk the hash chain (database, or an export offline); exit 1 if broken,\n                                            or with --complete if a full export lacks any event",
    async run(args) {
      const { values } = parseArgs({ args, options: { file: { type: "string" }, complete: { type: "boolean" } } });
      let result;
      if (values.file) {
        const file = values.file;
        if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
        result = await verifyChain(fileRows(file), { allowGaps: true, hashExists: (hash) => fileHasHash(file, hash) });
      } else {
        const handle = await openMigrated();
        result = await verifyStoredChain(handle.db);
      }
      console.log(JSON.stringify(result));
      if (result.ok && values.complete && !result.complete) {
        console.error("handrail: the export is not the complete chain from its first event (--complete was asked for)");
        return 1;
      }
      return result.ok ? 0 : 1;
    },
  },
  {
    name: "audit head",
    usage: "audit head                                print the latest event's hash, to anchor the chain elsewhere",
    async run() {
      const handle = await openMigrated();
      console.log(JSON.stringify(await chainHead(handle.db)));
    },
  },
];
