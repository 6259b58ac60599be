import { FIRE_BATCH, fireDueSchedules, nextDueAt } from "./fire-due";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Fires due schedules in every process that runs background work: at the next due time when that
 * is within `intervalMs`, else after `intervalMs` (a schedule made meanwhile is seen by then), and
 * again at once after a full batch. Each fire happens once however many processes race for it
 * (lib/schedules/fire-records.ts), so no process needs to be the only one.
 */
export function startScheduler(options: { log: (message: string) => void; intervalMs?: number }): Scheduler {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = fireDueSchedules()
      .then(async (results) => {
        for (const result of results) {
          if (result.kind === "refused") options.log(`schedule fire refused, schedule paused: ${result.message}`);
        }
        if (results.length >= FIRE_BATCH) return 0;
        const next = await nextDueAt();
        return next ? Math.min(intervalMs, Math.max(0, next.getTime() - Date.now())) : intervalMs;
      })
      .catch((error: unknown) => {
        options.log(`scheduler: ${(error as Error).message}`);
        return intervalMs;
      })
      .then((waitMs) => {
        if (!stopped) timer = setTimeout(tick, waitMs);
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
