import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "../../private-dir";
import { RunHost } from "../spawner/run-host";
import type { RunIsolation } from "./run-isolation";

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What a run tries: every process environment, the planted files, who it is and which processes it sees. */
const PROBE = `#!/bin/sh
echo "id: $(id)"
echo "processes: $(ls /proc | grep -c '^[0-9]*$')"
for file in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$file" 2>/dev/null; done
cat "$1" "$2" 2>/dev/null
echo "probe finished"
`;

const canary = () => `handrail-canary-${randomBytes(12).toString("hex")}`;

/**
 * Proves the isolation this host gives runs: plants a canary in the data directory, the install
 * directory and the environment of a root-started decoy process, runs a probe exactly as a run is
 * started, and reports which canaries (or platform secrets from this process's environment) it read.
 */
export async function runIsolationDoctor(isolation: RunIsolation, dataDir: string, installDir: string): Promise<DoctorCheck[]> {
  const planted = { dataDir: canary(), installDir: canary(), environment: canary() };
  ensurePrivateDir(dataDir);
  const dataFile = path.join(dataDir, `doctor-canary-${randomBytes(4).toString("hex")}`);
  const installFile = path.join(installDir, `.env.doctor-canary-${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(dataFile, planted.dataDir, { mode: 0o600 });
  fs.writeFileSync(installFile, planted.installDir, { mode: 0o600 });
  const decoyEnv: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH, HANDRAIL_DOCTOR_CANARY: planted.environment };
  const decoy: ChildProcess = spawn("sleep", ["30"], { env: decoyEnv, stdio: "ignore" });
  const host = new RunHost(isolation.plan, isolation.hiddenPaths);
  let output = "";
  try {
    const workDir = await host.workDirFor(1);
    const exit = await new Promise<{ exitCode: number | null; error: string | null }>((resolve) => {
      host.run(
        { id: 1, workDir, argv: ["/bin/sh", path.join(workDir, "probe.sh"), dataFile, installFile], env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, files: [{ path: "probe.sh", content: PROBE, mode: 0o700 }] },
        { onStarted: () => undefined, onOutput: (_stream, data) => (output += data), onExit: resolve },
      );
    });
    if (exit.error || !output.includes("probe finished")) throw new Error(`the probe run did not complete: ${exit.error ?? output}`);
  } finally {
    decoy.kill("SIGKILL");
    fs.rmSync(dataFile, { force: true });
    fs.rmSync(installFile, { force: true });
    await host.close();
  }
  const platformSecrets = ["AUTH_SECRET", "HANDRAIL_SECRET_KEY", "DATABASE_URL"].flatMap((name) => (process.env[name] ? [process.env[name]] : []));
  const uid = /uid=(\d+)/.exec(output)?.[1];
  const seen = Number(/processes: (\d+)/.exec(output)?.[1] ?? 0);
  const hidden = (value: string) => !output.includes(value);
  return [
    { name: "runs as a user other than root", ok: uid !== undefined && uid !== "0", detail: `uid ${uid ?? "?"}` },
    { name: "cannot read other processes' environment", ok: hidden(planted.environment), detail: "a canary in a root process's environment" },
    { name: "cannot read this process's secrets", ok: platformSecrets.every(hidden), detail: platformSecrets.length > 0 ? "AUTH_SECRET, HANDRAIL_SECRET_KEY, DATABASE_URL as set here" : "none set in this environment" },
    { name: "cannot read the data directory", ok: hidden(planted.dataDir), detail: dataDir },
    { name: "cannot read the install directory's configuration", ok: hidden(planted.installDir), detail: installDir },
    isolation.plan.mode === "sandbox"
      ? { name: "sees only its own processes", ok: seen > 0 && seen <= 8, detail: `${seen} in its /proc` }
      : { name: "sees the host's processes", ok: isolation.plan.mode === "user", detail: isolation.plan.mode === "user" ? "but not their environments: each run has a uid of its own" : "and their environments" },
  ];
}
