import readline from "node:readline";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { ensureDevSecretKey } from "../../secrets/configured-keyring";
import { deleteSecret } from "../../services/secrets/delete-secret";
import { listSecrets } from "../../services/secrets/list-secrets";
import { rotateSecrets } from "../../services/secrets/rotate-secrets";
import { setSecret } from "../../services/secrets/set-secret";
import { asSystemCaller } from "../../services/caller";
import { cliActor, openMigrated, readStdin, UsageError, type CliCommand } from "../support";
import { columns } from "./users";

const systemCaller = () => asSystemCaller(cliActor());
const day = (iso: string) => iso.replace("T", " ").slice(0, 16);

function onlyName(positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError("give the secret's name");
  if (positionals.length > 1) throw new UsageError(`give one secret name (got ${positionals.length}); the value is read from stdin, never from arguments`);
  return positionals[0] ?? "";
}

/** At a terminal, one line typed without echo; otherwise all of stdin (one trailing newline removed). */
async function readValue(name: string): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  process.stderr.write(`value for ${name} (input hidden; pipe a file for several lines): `);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = readline.createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => prompt.question("", resolve));
  } finally {
    prompt.close();
    process.stderr.write("\n");
  }
}

export const secretCommands: CliCommand[] = [
  {
    name: "secrets set",
    usage: "secrets set NAME [--description D]       set or replace a secret; the value is read from stdin",
    async run(args) {
      const { values, positionals } = parseArgs({ args, options: { description: { type: "string" } }, allowPositionals: true });
      const name = onlyName(positionals);
      const value = await readValue(name);
      const generated = ensureDevSecretKey();
      if (generated) console.error(`generated a development HANDRAIL_SECRET_KEY in ${generated}`);
      await openMigrated();
      const result = await setSecret(systemCaller(), { name, value, ...(values.description === undefined ? {} : { description: values.description }) });
      console.log(`${result.created ? "created" : "replaced"} secret ${result.name} (key ${result.keyId})`);
    },
  },
  {
    name: "secrets list",
    usage: "secrets list                              list secrets: key, last change, runbooks using them (never values)",
    async run(args) {
      parseArgs({ args, options: {} });
      await openMigrated();
      const list = await listSecrets(systemCaller());
      if (list.secrets.length === 0) console.log("no secrets");
      else {
        console.log(
          columns([
            ["NAME", "KEY", "UPDATED", "BY", "USED BY", "DESCRIPTION"],
            ...list.secrets.map((secret) => [
              secret.name,
              secret.key === "current" ? secret.keyId : `${secret.keyId} (${secret.key})`,
              day(secret.updatedAt),
              secret.updatedBy,
              secret.usedBy.join(",") || "-",
              secret.description,
            ]),
          ]),
        );
      }
      for (const missing of list.missing) console.log(`not set: ${missing.name} (used by ${missing.usedBy.join(", ")})`);
      console.log(`current key: ${list.currentKeyId ?? "none (HANDRAIL_SECRET_KEY is not set)"}`);
    },
  },
  {
    name: "secrets delete",
    usage: "secrets delete NAME                       delete a secret; runbooks using it cannot run until it is set again",
    async run(args) {
      const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
      const name = onlyName(positionals);
      await openMigrated();
      const result = await deleteSecret(systemCaller(), { name });
      console.log(`deleted secret ${result.name}`);
      if (result.usedBy.length > 0) console.error(`warning: still used by ${result.usedBy.join(", ")}; their runs are refused until it is set again`);
    },
  },
  {
    name: "secrets rotate",
    usage: "secrets rotate                            re-encrypt every secret with HANDRAIL_SECRET_KEY (old key in HANDRAIL_SECRET_KEY_PREVIOUS)",
    async run(args) {
      parseArgs({ args, options: {} });
      await openMigrated();
      const report = await rotateSecrets(systemCaller());
      console.log(`rotated ${report.rotated.length} secret(s) to key ${report.keyId}; ${report.unchanged} already used it`);
      if (report.rotated.length > 0) console.log("every secret now uses the current key: remove the old key from HANDRAIL_SECRET_KEY_PREVIOUS and restart");
    },
  },
];
