import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../../config/env";
import { isolationFor } from "../isolation/run-isolation";
import type { CollectedOutputs, RunProcessRecord } from "./protocol";
import { RunHost } from "./run-host";
import { SESSION_LOOP } from "./sandbox-stub";

interface StepResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  outputs?: CollectedOutputs;
  record: RunProcessRecord | undefined;
  workDir: string;
}

const PATH = process.env.PATH ?? "/usr/bin:/bin";
let host: RunHost;

/** One step of run `runId`, as the worker starts it: a bash script in a fresh step directory. */
async function step(runId: number, script: string, options: { stopAfterMs?: number } = {}): Promise<StepResult> {
  const workDir = await host.workDirFor(runId, { step: true });
  const result: StepResult = { stdout: "", stderr: "", exitCode: null, signal: null, error: null, record: undefined, workDir };
  await new Promise<void>((resolve) => {
    const handle = host.run(
      { id: runId, workDir, argv: ["/bin/bash", "-c", script], env: { PATH, HANDRAIL_OUTPUTS: path.join(workDir, ".handrail-outputs") }, files: [{ path: ".handrail-outputs", content: "", mode: 0o600 }], outputsFile: ".handrail-outputs" },
      {
        onStarted: (record) => (result.record = record),
        onOutput: (stream, data) => (result[stream] += data),
        onExit: (exit) => {
          Object.assign(result, exit);
          resolve();
        },
      },
    );
    if (options.stopAfterMs !== undefined) setTimeout(() => handle.signal("SIGTERM"), options.stopAfterMs);
  });
  return result;
}

describe("a run's steps in one sandbox", () => {
  beforeAll(() => {
    const isolation = isolationFor(config(), true);
    expect(isolation.plan.mode, "these tests need the sandbox (bubblewrap)").toBe("sandbox");
    host = new RunHost(isolation.plan, isolation.hiddenPaths);
  });
  afterAll(async () => {
    await host.close();
  });

  it("runs each step in a fresh directory of the same sandbox, as the run user, and kills what a step leaves behind", async () => {
    const runId = 9_000_001;
    const first = await step(runId, 'echo "uid=$(id -u)"; echo kept > file; echo "result=one" >> "$HANDRAIL_OUTPUTS"; setsid sleep 300 & sleep 300 & echo "left $!"');
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toEqual({ text: "result=one\n" });
    const second = await step(runId, 'echo "pwd=$PWD"; ls ../; ls -A; pgrep -c -x sleep || true; exit 3');
    expect(second.exitCode).toBe(3);
    expect(second.record?.pid, "the same sandbox").toBe(first.record?.pid);
    expect(path.dirname(second.workDir)).toBe(path.dirname(first.workDir));
    const [pwd, ...rest] = second.stdout.trim().split("\n");
    expect(pwd).toBe(`pwd=${second.workDir}`);
    // The first step's directory is gone; this one holds only its outputs file; no sleep survived.
    expect(rest).toEqual([path.basename(second.workDir), ".handrail-outputs", "0"]);
    expect(first.stdout).toMatch(/^uid=(\d+)\n/);
    expect(Number(/^uid=(\d+)/.exec(first.stdout)?.[1])).not.toBe(0);
    host.endSteps(runId);
  });

  it("a step cannot end itself early with a forged marker, nor reach the loop's input, and stdin is empty", async () => {
    const runId = 9_000_002;
    const forged = `\u001e${randomBytes(12).toString("hex")}:0.`;
    const result = await step(
      runId,
      `printf '%s' '${forged}'; printf '%s' '${forged}' >&2; sleep 0.2
       loop=$PPID
       echo "loop=$loop $(cat /proc/$loop/comm)"
       cat /proc/$loop/fd/0 2>/dev/null && echo "read the loop's input" || echo "input closed to the step"
       cat /proc/$loop/environ >/dev/null 2>&1 && echo "read the loop's environment" || echo "environment closed to the step"
       cat; echo "stdin done"; exit 4`,
    );
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toContain(forged);
    expect(result.stderr).toContain(forged);
    expect(result.stdout).toMatch(/loop=\d+ bash\n/);
    expect(result.stdout).toContain("input closed to the step");
    expect(result.stdout).toContain("environment closed to the step");
    expect(result.stdout).toContain("stdin done");
    host.endSteps(runId);
  });

  it("a stop ends the step with its SIGTERM grace, ends the sandbox, and the next step gets a new one", async () => {
    const runId = 9_000_003;
    const first = await step(runId, "echo ready");
    const stopped = await step(runId, 'trap "echo got-term; exit 9" TERM; echo waiting; sleep 30 & wait', { stopAfterMs: 300 });
    expect(stopped.stdout).toContain("got-term");
    expect(stopped.exitCode).toBe(9);
    const next = await step(runId, "echo again");
    expect(next.stdout).toBe("again\n");
    expect(path.dirname(next.workDir), "a new sandbox directory").not.toBe(path.dirname(stopped.workDir));
    expect(next.record?.pid).not.toBe(first.record?.pid);
    host.endSteps(runId);
  });

  it("each step's output is its own, even when it ends without a newline", async () => {
    const runId = 9_000_004;
    const a = await step(runId, "printf 'no newline'; printf 'err' >&2");
    const b = await step(runId, "seq 1 20000 | tail -n 1");
    expect([a.stdout, a.stderr]).toEqual(["no newline", "err"]);
    expect(b.stdout).toBe("20000\n");
    host.endSteps(runId);
  });
});

describe("the step loop", () => {
  it("refuses to start where pid 1 is not bubblewrap (its kill -1 would reach beyond the run)", async () => {
    const dir = fs.mkdtempSync(path.join("/tmp", "handrail-loop-"));
    const ran = path.join(dir, "ran");
    try {
      // Its own PID namespace, with bash as pid 1: even a broken guard could not reach this host's processes.
      const input = `${"a".repeat(24)} step-abcdef\n${`handrail_argv=(/usr/bin/touch ${ran})\n`.length}\nhandrail_argv=(/usr/bin/touch ${ran})\n`;
      const result = await execa("bwrap", ["--bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid", "--as-pid-1", "--", "bash", "-c", SESSION_LOOP], { input, reject: false });
      expect(result.exitCode).toBe(70);
      expect(fs.existsSync(ran)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
