// A stand-in for the embedded server in the crash-recovery test: opens the PGlite data directory,
// runs the in-process worker, requests a run, reports once output is stored, then waits to be killed.
import { eq } from "drizzle-orm";
import { openDatabase, useDatabase } from "../db";
import { runOutput } from "../db/schema";
import { Worker } from "../executor/worker";
import { prepareDatabase } from "../services/prepare-database";
import { requestRun } from "../services/runs/request-run";
import { createActor, eventually, seedRunbooks } from "./fixtures";

const [dataDir, runbookYaml] = process.argv.slice(2) as [string, string];
const handle = await openDatabase({ kind: "pglite", dataDir });
await prepareDatabase(handle);
useDatabase(handle);
await seedRunbooks(handle, { "ticker.yaml": runbookYaml });
const developer = await createActor(handle, "developer");
const worker = new Worker({ handle, concurrency: 1, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: 1 << 20, recoverAllOnStart: true });
await worker.start();
const run = await requestRun(developer, { slug: "ticker", params: {} });
const stored = await eventually(async () => {
  const rows = await handle.db.select({ seq: runOutput.seq }).from(runOutput).where(eq(runOutput.runId, run.id));
  return rows.length >= 10 ? rows.length : undefined;
}, 60_000);
process.stdout.write(`RUN ${run.id} ${stored} ${developer.user.id}\n`);
await new Promise(() => undefined);
