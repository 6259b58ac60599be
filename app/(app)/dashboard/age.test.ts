import { describe, expect, it } from "vitest";
import { ageOf, statusStreak } from "./age";

const now = Date.parse("2026-12-04T12:00:00Z");
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

describe("a panel's age and streak", () => {
  it("says how old a result is, in the unit a person reads at a glance", () => {
    expect([ageOf(at(0.2), now), ageOf(at(5), now), ageOf(at(150), now), ageOf(at(60 * 72), now)]).toEqual(["12 s ago", "5 min ago", "2 h ago", "3 d ago"]);
  });

  it("says since when the latest status holds: from the first result of its streak", () => {
    const history = [
      { status: "ok", at: at(30) },
      { status: "ok", at: at(25) },
      { status: "critical", at: at(20) },
      { status: "critical", at: at(5) },
    ];
    expect(statusStreak(history, now)).toBe("critical for 20 min");
    expect(statusStreak(history.slice(0, 2), now)).toBe("ok for over 30 min");
    expect(statusStreak(history.slice(0, 1), now)).toBeNull();
  });
});
