import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { liveProcessesWith } from "../../testing/host-processes";
import { hostIdentity, readProcStat } from "./processes";
import { killRecordedRun } from "./recorded-run";

/** A detached group like a run's: a leader and a background child that left it running. */
function startGroup(marker: string) {
  const leader = spawn("/bin/sh", ["-c", `(sleep 30; true ${marker}) & sleep 30; true ${marker}`], { detached: true, stdio: "ignore" });
  return leader.pid as number;
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe("killRecordedRun (recovery of a dead worker's run)", () => {
  it("kills the whole recorded group when the pid is still the same process", async () => {
    const marker = `recorded-run-${Math.random().toString(36).slice(2)}`;
    const pid = startGroup(marker);
    await settle();
    expect(liveProcessesWith(marker)).toHaveLength(2);
    const killed = killRecordedRun({ host: hostIdentity(), pid, startTime: readProcStat(pid)?.startTime ?? null, uid: null });
    expect(killed).toBe(true);
    await settle();
    expect(liveProcessesWith(marker)).toEqual([]);
  });

  it("leaves a process alone whose pid was reused (another start time) or that runs on another host", async () => {
    const marker = `recorded-run-${Math.random().toString(36).slice(2)}`;
    const pid = startGroup(marker);
    await settle();
    const startTime = readProcStat(pid)?.startTime ?? null;
    expect(killRecordedRun({ host: hostIdentity(), pid, startTime: "1", uid: null })).toBe(false);
    expect(killRecordedRun({ host: "another-host/boot", pid, startTime, uid: null })).toBe(false);
    await settle();
    expect(liveProcessesWith(marker)).toHaveLength(2);
    process.kill(-pid, "SIGKILL");
  });
});
