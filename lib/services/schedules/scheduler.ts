import { fireDueSchedules } from "./fire-due";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Fires due schedules about once a second, in every process that runs background work: each fire
 * happens once however many processes race for it (lib/schedules/fire-records.ts), so no process
 * needs to be the only one.
 */
export function startScheduler(options: { log: (message: string) => void; intervalMs?: number }): Scheduler {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = fireDueSchedules()
      .then((results) => {
        for (const result of results) {
          if (result.kind === "refused") options.log(`schedule fire refused, schedule paused: ${result.message}`);
        }
      })
      .catch((error: unknown) => options.log(`scheduler: ${(error as Error).message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
