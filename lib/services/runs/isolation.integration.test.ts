import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { eventually } from "../../testing/fixtures";

const canary = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;

/** Every secret the attacker must not see, each unique to this test run. */
const secrets = {
  authSecretEnv: canary("auth-secret-env"),
  secretKeyEnv: canary("secret-key-env"),
  authSecretFile: canary("auth-secret-file"),
  secretKeyFile: canary("secret-key-file"),
  installConfig: canary("install-config"),
  victimEnv: canary("victim-env"),
  victimScript: canary("victim-script"),
  victimFile: canary("victim-file"),
};

const installDir = path.resolve(".");
// Left in a shared scratch directory by one run: the next holder of its uid must not find it.
const leftBehind = `/var/tmp/handrail-left-behind-${randomBytes(6).toString("hex")}`;
const installCanary = path.join(installDir, `.env.isolation-canary-${randomBytes(4).toString("hex")}`);

function runbooks(dataDir: string): Record<string, string> {
  return {
    "victim.yaml": `
slug: victim
title: Holds a secret in its environment and its directory
owner: platform
risk: low
timeout: 2m
env: { VICTIM_TOKEN: "${secrets.victimEnv}" }
script: victim.sh
`,
    "victim.sh": `#!/bin/bash
# ${secrets.victimScript}
echo "${secrets.victimFile}" > "$PWD/victim-file"
echo "victim-dir=$PWD"
sleep 100
`,
    "attacker.yaml": `
slug: attacker
title: Tries every way to the platform's secrets
owner: platform
risk: low
timeout: 1m
parameters:
  - { name: victim_dir, type: string, required: true }
env: { DATA_DIR: "${dataDir}", INSTALL_DIR: "${installDir}" }
script: attacker.sh
`,
    "attacker.sh": `#!/bin/bash
echo "whoami: $(id)"
pid=$$
while [ -n "$pid" ] && [ "$pid" -gt 1 ]; do
  echo "== ancestor $pid"; tr '\\0' '\\n' < "/proc/$pid/environ" 2>&1
  pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
done
for file in /proc/[0-9]*/environ; do echo "== $file"; tr '\\0' '\\n' < "$file" 2>&1; done
for file in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$file" 2>/dev/null; echo; done
echo "== data directory"
ls -la "$DATA_DIR" 2>&1
for name in auth-secret secret-key handrail.lock; do cat "$DATA_DIR/$name" 2>&1; done
find "$DATA_DIR" -maxdepth 3 -type f 2>&1 | head -20 | while read -r file; do head -c 200 "$file" 2>&1 | tr -c '[:print:]\\n' '.'; echo; done
echo "== install directory"
for file in "$INSTALL_DIR"/.env*; do echo "$file"; cat "$file" 2>&1; done
echo "== the other run"
ls -la "$HANDRAIL_PARAM_VICTIM_DIR" "$(dirname "$HANDRAIL_PARAM_VICTIM_DIR")" 2>&1
cat "$HANDRAIL_PARAM_VICTIM_DIR"/.handrail-* "$HANDRAIL_PARAM_VICTIM_DIR/victim-file" 2>&1
grep -rs "" /var/lib/handrail /tmp/handrail-runs-* 2>&1 | head -20
echo "attack finished"
`,
    "ordinary.yaml": `
slug: ordinary
title: An ordinary runbook in the same setup
owner: platform
risk: low
timeout: 30s
files: [notes/bundled.txt]
command: ["/bin/sh", "-c", "echo ordinary-ok; cat notes/bundled.txt; echo scratch > \\"$TMPDIR/scratch\\" && cat \\"$TMPDIR/scratch\\"; grep -q . /etc/os-release && echo host-files-visible; echo scratch > ${leftBehind}"]
`,
    "notes/bundled.txt": "a file shipped with the runbook\n",
  };
}

interface ScenarioResult {
  mode: string;
  attacker: { status: string; lines: string[] };
  ordinary: { status: string; lines: string[] };
}

/** Runs the scenario in a separate process whose environment holds the platform's secrets, like a server's. */
async function runScenario(isolation: string, databaseUrl: string | undefined): Promise<ScenarioResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-isolation-"));
  fs.writeFileSync(path.join(dataDir, "auth-secret"), secrets.authSecretFile, { mode: 0o600 });
  fs.writeFileSync(path.join(dataDir, "secret-key"), secrets.secretKeyFile, { mode: 0o600 });
  const runbooksFile = path.join(dataDir, "scenario-runbooks.json");
  fs.writeFileSync(runbooksFile, JSON.stringify(runbooks(dataDir)), { mode: 0o600 });
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("lib/testing/isolation-scenario.ts"), runbooksFile], {
    env: {
      ...process.env,
      AUTH_SECRET: secrets.authSecretEnv,
      HANDRAIL_SECRET_KEY: secrets.secretKeyEnv,
      HANDRAIL_DATA_DIR: dataDir,
      HANDRAIL_ISOLATION: isolation,
      HANDRAIL_DEMO: "off",
      DATABASE_URL: databaseUrl ?? "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let said = "";
  child.stdout.on("data", (chunk: Buffer) => (said += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (said += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
  const result = said.split("\n").find((line) => line.startsWith('{"mode"'));
  if (code !== 0 || !result) throw new Error(`the scenario process failed (exit ${code}): ${said}`);
  return JSON.parse(result) as ScenarioResult;
}

function leakedSecrets(lines: string[]): string[] {
  const text = lines.join("\n");
  return Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

describe(`run isolation on ${testDriver}`, () => {
  let databaseUrl: string | undefined;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    // On PostgreSQL the scenario process shares a fresh database; embedded, it opens its own data directory.
    const opened = await openTestDatabase();
    databaseUrl = opened.url;
    dispose = opened.dispose;
    fs.writeFileSync(installCanary, `AUTH_SECRET=${secrets.installConfig}\n`, { mode: 0o600 });
  });

  afterAll(async () => {
    fs.rmSync(installCanary, { force: true });
    fs.rmSync(leftBehind, { force: true });
    await dispose?.();
  });

  for (const isolation of ["sandbox", "user"] as const) {
    it(`${isolation}: a run reads no secret of the platform or of another run, and an ordinary run still works`, async () => {
      const result = await runScenario(isolation, databaseUrl);
      expect(result.mode).toBe(isolation);
      expect(result.attacker.lines).toContain("attack finished");
      expect(result.attacker.lines.find((line) => line.startsWith("whoami:"))).not.toMatch(/uid=0\b/);
      expect(leakedSecrets(result.attacker.lines)).toEqual([]);
      expect(result.ordinary).toEqual({
        status: "succeeded",
        lines: ["ordinary-ok", "a file shipped with the runbook", "scratch", "host-files-visible"],
      });
      // Its uid was leased for this run alone: what the run left in /var/tmp went with it.
      await eventually(async () => (fs.existsSync(leftBehind) ? undefined : true), 5000);
    }, 120_000);
  }

  it("none: the same attack reads the server's secrets (what the other modes prevent)", async () => {
    const result = await runScenario("none", databaseUrl);
    expect(result.mode).toBe("none");
    expect(leakedSecrets(result.attacker.lines)).toEqual(expect.arrayContaining(["authSecretEnv", "secretKeyEnv", "authSecretFile", "victimEnv", "victimScript"]));
  }, 120_000);
});
