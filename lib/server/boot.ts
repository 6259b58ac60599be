import { config } from "../config/env";
import { closeDatabase, database } from "../db";
import { startBackgroundWork, type BackgroundWork } from "../executor/background-work";
import { requestChildRun } from "../services/runs/steps/request-child-run";
import { startScheduler, type Scheduler } from "../services/schedules/scheduler";
import { prepareDatabase } from "../services/prepare-database";
import { pruneRunOutput } from "../services/runs/prune-output";
import { formatSyncReport, syncRunbooks } from "../services/runbooks/sync-runbooks";
import { demoCredentials, ensureDemoUsers } from "../services/users/ensure-demo-users";
import { startDemoViews } from "../services/views/start-demo-views";

interface BootGlobal {
  handrailBackground?: BackgroundWork;
  handrailScheduler?: Scheduler;
}
const store = globalThis as BootGlobal;

function log(message: string) {
  console.log(`[handrail] ${message}`);
}

/** Runs once in the server process (from instrumentation.ts): migrate, seed, load runbooks, start the worker. */
export async function bootServer(): Promise<void> {
  const settings = config();
  const handle = await database();
  log(handle.kind === "pglite" ? `embedded database (PGlite) in ${settings.pgliteDir}` : "PostgreSQL database from DATABASE_URL");
  await prepareDatabase(handle);

  if (settings.demo) {
    const created = await ensureDemoUsers(handle.db);
    log(
      created.length > 0
        ? "demo mode (HANDRAIL_DEMO): created one demo user per role, and a second operator for four-eyes approvals; sign in with:"
        : "demo mode (HANDRAIL_DEMO): sign in with:",
    );
    for (const credential of demoCredentials) log(`  ${credential.role.padEnd(9)} ${credential.email} / ${credential.password}`);
  }

  const report = await syncRunbooks(handle, settings.runbooksDir, { type: "system", id: "server-start" });
  log(`loaded runbooks from ${settings.runbooksDir}`);
  for (const line of formatSyncReport(report)) log(line);
  if (settings.demo) {
    const started = await startDemoViews(handle.db);
    if (started > 0) log(`demo mode: ${started} view schedule(s) fire now, so the dashboard has results from the start`);
  }

  if (settings.workerEnabled) {
    store.handrailBackground = await startBackgroundWork(handle, settings, {
      concurrency: settings.workerConcurrency,
      recoverAllOnStart: handle.kind === "pglite",
      takesLocalRuns: true,
      requestChild: requestChildRun,
      log,
    });
    store.handrailScheduler = startScheduler({ log });
    log("schedules fire from this process");
  } else {
    log("in-process worker off (HANDRAIL_WORKER=off): runs wait for a separate `handrail worker`");
  }

  if (settings.outputRetentionDays !== undefined) {
    const days = settings.outputRetentionDays;
    const prune = () =>
      pruneRunOutput(handle.db, days, { type: "system", id: "retention" })
        .then((report) => report.runs.length > 0 && log(`retention: pruned the output of runs ${report.runs.join(", ")}`))
        .catch((error: unknown) => log(`retention failed: ${(error as Error).message}`));
    void prune();
    setInterval(() => void prune(), 60 * 60 * 1000).unref();
    log(`run output is kept ${days} days (HANDRAIL_OUTPUT_RETENTION_DAYS)`);
  }

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await store.handrailScheduler?.stop();
    await store.handrailBackground?.stop();
    await closeDatabase();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/** Boots, or explains why it cannot (e.g. the data directory is held by another process) and exits. */
export async function startServerServices(): Promise<void> {
  try {
    await bootServer();
  } catch (error) {
    console.error(`[handrail] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
