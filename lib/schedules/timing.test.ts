import { describe, expect, it } from "vitest";
import { cronProblem, missedFires, nextFireAfter, nextFireTimes, timeZoneProblem } from "./timing";

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe("schedule timing", () => {
  it("reads the expression in the schedule's time zone", () => {
    const timing = { cron: "0 9 * * 1-5", timeZone: "America/New_York" };
    // Friday 2026-12-04 15:00 UTC is 10:00 in New York: the next is Monday 09:00 EST = 14:00 UTC.
    expect(iso(nextFireTimes(timing, new Date("2026-12-04T15:00:00Z"), 2))).toEqual(["2026-12-07T14:00:00.000Z", "2026-12-08T14:00:00.000Z"]);
  });

  it("fires a time the spring-forward gap skips once, just after the gap", () => {
    // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
    const timing = { cron: "30 2 * * *", timeZone: "Europe/Berlin" };
    expect(iso(nextFireTimes(timing, new Date("2026-03-28T00:00:00Z"), 3))).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("fires a time the fall-back hour repeats once, while an interval schedule runs through both hours", () => {
    // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    expect(iso(nextFireTimes({ cron: "30 2 * * *", timeZone: "Europe/Berlin" }, new Date("2026-10-24T12:00:00Z"), 2))).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
    expect(iso(nextFireTimes({ cron: "0 * * * *", timeZone: "Europe/Berlin" }, new Date("2026-10-24T23:30:00Z"), 3))).toEqual([
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T02:00:00.000Z",
    ]);
  });

  it("names what is wrong with an expression or a time zone", () => {
    expect(cronProblem("61 * * * *", "UTC")).toMatch(/minute/);
    expect(cronProblem("* * * * * *", "UTC")).toBeDefined();
    expect(cronProblem("0 0 30 2 *", "UTC")).toBeDefined();
    expect(cronProblem("*/5 * * * *", "UTC")).toBeUndefined();
    expect(timeZoneProblem("Mars/Olympus_Mons")).toMatch(/unknown time zone/);
    expect(timeZoneProblem("Asia/Kolkata")).toBeUndefined();
  });

  it("fires a one-off schedule once, and counts what a schedule missed", () => {
    const runAt = new Date("2026-12-05T08:00:00Z");
    expect(nextFireAfter({ runAt }, new Date("2026-12-05T07:59:59Z"))).toEqual(runAt);
    expect(nextFireAfter({ runAt }, runAt)).toBeNull();
    const everyFive = { cron: "*/5 * * * *", timeZone: "UTC" };
    expect(missedFires(everyFive, new Date("2026-12-04T10:00:00Z"), new Date("2026-12-04T10:17:00Z"))).toEqual({
      count: 4,
      last: new Date("2026-12-04T10:15:00Z"),
      capped: false,
    });
  });
});
