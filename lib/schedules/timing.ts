import { Cron } from "croner";

/** When a schedule fires: on a five-field cron expression read in a time zone, or once. */
export type ScheduleTiming = { cron: string; timeZone: string } | { runAt: Date };

/** The most fire times one misfire check counts (a schedule down for a year at every minute would be 525,600). */
const MAX_COUNTED_FIRES = 10_000;

/** A time zone this runtime knows by its IANA name (`Europe/Berlin`), or why not. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return undefined;
  } catch {
    return `unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin or UTC)`;
  }
}

function cronOf(expression: string, timeZone: string): Cron {
  // Five fields only: a seconds field would let one schedule fire 60 times a minute.
  return new Cron(expression, { timezone: timeZone, paused: true, mode: "5-part" });
}

/** Why a cron expression cannot be used, or undefined when it can (DST follows Vixie cron, see docs/schedules.md). */
export function cronProblem(expression: string, timeZone: string): string | undefined {
  if (expression.length > 200) return "must be at most 200 characters";
  try {
    const next = cronOf(expression, timeZone).nextRun(new Date());
    return next ? undefined : "never fires";
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, "");
  }
}

/** The first fire time strictly after `after`, or null when there is none (a one-off already past). */
export function nextFireAfter(timing: ScheduleTiming, after: Date): Date | null {
  if ("runAt" in timing) return timing.runAt.getTime() > after.getTime() ? timing.runAt : null;
  return cronOf(timing.cron, timing.timeZone).nextRun(after);
}

/** The next `count` fire times after `after`. */
export function nextFireTimes(timing: ScheduleTiming, after: Date, count: number): Date[] {
  if ("runAt" in timing) return timing.runAt.getTime() > after.getTime() ? [timing.runAt] : [];
  return cronOf(timing.cron, timing.timeZone).nextRuns(count, after);
}

/**
 * The fire times from `first` (a fire time, included) up to `now` (included): what a schedule
 * missed while nothing was running. Counts at most MAX_COUNTED_FIRES; `last` is then the last counted.
 */
export function missedFires(timing: ScheduleTiming, first: Date, now: Date): { count: number; last: Date; capped: boolean } {
  let count = 1;
  let last = first;
  for (let next = nextFireAfter(timing, first); next && next.getTime() <= now.getTime(); next = nextFireAfter(timing, next)) {
    if (count === MAX_COUNTED_FIRES) return { count, last, capped: true };
    count++;
    last = next;
  }
  return { count, last, capped: false };
}
