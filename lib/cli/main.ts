import os from "node:os";
import { parseArgs } from "node:util";
import type { AuditActor } from "../audit/record";
import { config } from "../env";
import { closeDatabase, database } from "../db";
import { AppError } from "../errors";
import { Worker } from "../executor/worker";
import { formatSyncReport, syncRunbooks } from "../services/runbooks/sync-runbooks";
import { createToken } from "../services/tokens/tokens";
import { addUser } from "../services/users/add-user";

const USAGE = `usage: handrail <command> [options]

commands:
  migrate                                   apply database migrations
  user add --email E --name N --role R [--password P | --password-stdin]
                                            create a user (roles: admin, operator, developer, auditor)
  token create --email E [--label L]        create an API token; prints it as the last line
  runbooks sync                             load runbook files into the database and report changes
  worker [--concurrency N]                  run a standalone worker (PostgreSQL only)

configuration comes from the environment: DATABASE_URL, HANDRAIL_DATA_DIR, HANDRAIL_RUNBOOKS_DIR`;

class UsageError extends Error {}

/** Commands run by someone with shell access to the server; recorded as such in the audit log. */
function cliActor(): AuditActor {
  return { type: "system", id: `cli:${os.userInfo().username}` };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function option(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

async function openMigrated() {
  const handle = await database();
  await handle.migrate();
  return handle;
}

async function userAdd(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      password: { type: "string" },
      "password-stdin": { type: "boolean" },
    },
  });
  if (values.password && values["password-stdin"]) throw new UsageError("give --password or --password-stdin, not both");
  const password = values["password-stdin"] ? await readStdin() : option(values, "password");
  const input = { email: option(values, "email"), name: option(values, "name"), role: option(values, "role") as never, password };
  const handle = await openMigrated();
  const user = await addUser(handle.db, input, cliActor());
  console.log(`created ${user.role} ${user.email} (${user.id})`);
}

async function tokenCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: "string" }, label: { type: "string" } } });
  const handle = await openMigrated();
  const created = await createToken(handle.db, { email: option(values, "email"), label: values.label }, cliActor());
  console.log(`token for ${created.email} (label "${created.label}", id ${created.id}); shown once, only its hash is stored:`);
  console.log(created.token);
}

async function runbooksSync(): Promise<number> {
  const handle = await openMigrated();
  const report = await syncRunbooks(handle, config().runbooksDir, cliActor());
  for (const line of formatSyncReport(report)) console.log(line);
  return report.errors.length > 0 ? 1 : 0;
}

async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { concurrency: { type: "string" } } });
  const settings = config();
  if (!settings.databaseUrl) {
    throw new UsageError(
      "a separate worker needs PostgreSQL (DATABASE_URL): the embedded database allows one process, whose server already runs the worker",
    );
  }
  const concurrency = values.concurrency ? Number(values.concurrency) : settings.workerConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError("--concurrency must be a positive whole number");
  const handle = await openMigrated();
  const instance = new Worker({
    handle,
    concurrency,
    heartbeatTimeoutSeconds: settings.heartbeatTimeoutSeconds,
    secretKey: settings.authSecret,
    log: (message) => console.log(message),
  });
  await instance.start();
  console.log(`worker ${instance.id} started (concurrency ${concurrency})`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await instance.stop();
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    switch (`${command ?? ""} ${sub ?? ""}`.trim()) {
      case "migrate":
        await openMigrated();
        console.log("migrations applied");
        return 0;
      case "user add":
        await userAdd(rest);
        return 0;
      case "token create":
        await tokenCreate(rest);
        return 0;
      case "runbooks sync":
        return await runbooksSync();
      default:
        if (command === "worker") {
          await worker(argv.slice(1));
          return 0;
        }
        if (command === undefined || command === "help" || command === "--help") {
          console.log(USAGE);
          return command === undefined ? 2 : 0;
        }
        throw new UsageError(`unknown command "${argv.join(" ")}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) console.error(`handrail: ${error.message}\n\n${USAGE}`);
    else if (error instanceof AppError || error instanceof TypeError || error instanceof Error) {
      console.error(`handrail: ${error.message}`);
    }
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await closeDatabase();
  }
}
