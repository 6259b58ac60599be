// A stand-in for a Handrail server in the run-isolation test: a process whose environment holds the
// platform's secrets, with the configured database and data directory and the in-process worker.
// It starts a victim run, then an attacker run that is told where the victim lives, then an ordinary
// run, and prints what each produced as one JSON line.
import fs from "node:fs";
import { database } from "../db";
import { config } from "../config/env";
import { Worker } from "../executor/worker";
import { workerSettings } from "../executor/worker-settings";
import { prepareDatabase } from "../services/prepare-database";
import { cancelRun } from "../services/runs/cancel-run";
import { requestRun } from "../services/runs/request-run";
import { createActor, eventually, runOutputLines, seedRunbooks, waitForRunEnd } from "./fixtures";

// From a file, not argv: every user may read a process's command line.
const runbooks = JSON.parse(fs.readFileSync(process.argv[2] ?? "", "utf8")) as Record<string, string>;
const handle = await database();
await prepareDatabase(handle);
await seedRunbooks(handle, runbooks);
const developer = await createActor(handle, "developer");
const operator = await createActor(handle, "operator");
const worker = new Worker({ ...workerSettings(handle, config()), concurrency: 4 });
await worker.start();

const lines = async (runId: number) => (await runOutputLines(developer, runId)).map((line) => line.line);

const victim = await requestRun(developer, { slug: "victim", params: {} });
const victimDir = await eventually(async () => (await lines(victim.id)).find((line) => line.startsWith("victim-dir="))?.slice("victim-dir=".length), 30_000).catch(
  async (error: Error) => {
    throw new Error(`${error.message}: the victim run said ${JSON.stringify(await lines(victim.id))}`);
  },
);
const attacker = await requestRun(developer, { slug: "attacker", params: { victim_dir: victimDir } });
const attacked = await waitForRunEnd(developer, attacker.id, 60_000);
const ordinary = await waitForRunEnd(developer, (await requestRun(developer, { slug: "ordinary", params: {} })).id, 30_000);
await cancelRun(operator, victim.id);
await waitForRunEnd(developer, victim.id, 30_000);

process.stdout.write(
  `${JSON.stringify({
    mode: worker.isolation.plan.mode,
    attacker: { status: attacked.status, lines: await lines(attacker.id) },
    ordinary: { status: ordinary.status, lines: await lines(ordinary.id) },
  })}\n`,
);
await worker.stop();
await handle.close();
process.exit(0);
