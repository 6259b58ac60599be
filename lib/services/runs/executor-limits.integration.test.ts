import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runs } from "../../db/schema";
import type { Actor } from "../actor";
import { getRun } from "./get-run";
import { requestRun } from "./request-run";
import { createActor, eventually, rejection, runOutputLines, seedRunbooks, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { Worker } from "../../executor/worker";
import { secretKeysFrom } from "../../secrets/keyring";
import { resolveSecrets } from "../../secrets/store";
import { setSecret } from "../secrets/set-secret";

const OUTPUT_CAP = 64 * 1024;
const keyring = secretKeysFrom({ secretKey: "executor-test-key-0123456789abcdef" });
const STORE_SECRET = "tok-9f8e7d6c5b4a";

const runbookFiles = {
  "serial.yaml": `
slug: serial-job
title: One at a time
owner: platform
risk: low
timeout: 30s
concurrency: 1
command: ["/bin/sh", "-c", "echo start; sleep 0.4; echo done"]
`,
  "restart-host.yaml": `
slug: restart-host
title: Restart a host
owner: platform
risk: low
timeout: 30s
lock: "host:{{host}}"
parameters:
  - { name: host, type: string, required: true }
command: ["/bin/sh", "-c", "sleep 0.8; echo restarted"]
`,
  "drain-host.yaml": `
slug: drain-host
title: Drain a host
owner: platform
risk: low
timeout: 30s
lock: "host:{{host}}"
parameters:
  - { name: host, type: string, required: true }
command: ["/bin/sh", "-c", "echo drained"]
`,
  "flood.yaml": `
slug: flood
title: Prints more than the cap
owner: platform
risk: low
timeout: 60s
command: ["/bin/sh", "-c", "seq 1 20000; echo finished >&2"]
`,
  "interleaved.yaml": `
slug: interleaved
title: Alternates stdout and stderr
owner: platform
risk: low
timeout: 30s
command: ["/bin/bash", "-c", "for i in $(seq 1 60); do echo out $i; echo err $i >&2; sleep 0.001; done; echo done"]
`,
  "both-floods.yaml": `
slug: both-floods
title: Floods both streams with numbered lines
owner: platform
risk: low
timeout: 60s
command: ["/bin/bash", "-c", "for i in $(seq 1 6000); do echo $i; echo $i >&2; done; echo done"]
`,
  "environment.yaml": `
slug: show-env
title: Shows its environment
owner: platform
risk: low
timeout: 30s
env:
  GREETING: hello from the definition
  BUILD_LABEL: { inherit: true }
command: ["/bin/sh", "-c", "echo greeting=$GREETING; echo label=$BUILD_LABEL; echo auth=\${AUTH_SECRET:-unset}; echo db=\${DATABASE_URL:-unset}; echo other=\${UNLISTED_VAR:-unset}; pwd"]
`,
  "long.yaml": `
slug: long-job
title: Runs for a while
owner: platform
risk: low
timeout: 60s
command: ["/bin/sh", "-c", "echo working; sleep 30"]
`,
  "uses-secret.yaml": `
slug: uses-secret
title: Uses a store secret
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: password, type: secret }
env:
  API_TOKEN: { secret: deploy-token }
script: uses-secret.sh
`,
  "uses-secret.sh": `#!/bin/sh
echo "token=$API_TOKEN"
printf 'split:%s' "$(echo "$API_TOKEN" | cut -c1-6)"
sleep 0.2
echo "$API_TOKEN" | cut -c7-
echo "password=$HANDRAIL_PARAM_PASSWORD" >&2
echo "length=\${#API_TOKEN}"
`,
  "nul.yaml": `
slug: prints-nul
title: Prints a NUL byte
owner: platform
risk: low
timeout: 30s
script: nul.sh
`,
  "nul.sh": `#!/bin/sh
printf 'a\\000b\\n'
echo after
`,
  "needs-secret.yaml": `
slug: needs-secret
title: Needs a store secret
owner: platform
risk: low
timeout: 30s
env:
  API_TOKEN: { secret: never-set-token }
command: ["/bin/true"]
`,
};

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let developer: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, runbookFiles);
  developer = await createActor(handle, "developer");
  process.env.BUILD_LABEL = "build-77";
  process.env.UNLISTED_VAR = "must-not-leak";
  worker = new Worker({
    handle,
    concurrency: 4,
    heartbeatTimeoutSeconds: 30,
    secretKey: process.env.AUTH_SECRET,
    outputCapBytes: OUTPUT_CAP,
    pollIntervalMs: 200,
    resolveSecrets: (names) => resolveSecrets(handle.db, names, keyring),
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await dispose?.();
});

const finished = (runId: number) => waitForRunEnd(developer, runId);
const outputOf = (runId: number) => runOutputLines(developer, runId);

async function timesOf(runId: number) {
  const [row] = await handle.db.select({ startedAt: runs.startedAt, finishedAt: runs.finishedAt }).from(runs).where(eq(runs.id, runId));
  return { started: row?.startedAt?.getTime() ?? NaN, finished: row?.finishedAt?.getTime() ?? NaN };
}

describe(`executor limits on ${testDriver}`, () => {
  it("runs a concurrency-1 runbook one at a time, telling the waiting runs why and where they stand", async () => {
    const first = await requestRun(developer, { slug: "serial-job", params: {} });
    await eventually(async () => ((await getRun(developer, first.id)).status === "running" ? true : undefined));
    const second = await requestRun(developer, { slug: "serial-job", params: {} });
    const third = await requestRun(developer, { slug: "serial-job", params: {} });
    const waiting = await getRun(developer, third.id);
    expect(waiting.status).toBe("queued");
    expect(waiting.queue).toEqual({ reason: 'runbook "serial-job" allows one run at a time (1 running)', position: 2 });
    expect((await getRun(developer, second.id)).queue?.position).toBe(1);

    const results = await Promise.all([first, second, third].map((run) => finished(run.id)));
    expect(results.map((run) => run.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const [a, b, c] = await Promise.all([first, second, third].map((run) => timesOf(run.id)));
    expect(b!.started).toBeGreaterThanOrEqual(a!.finished);
    expect(c!.started).toBeGreaterThanOrEqual(b!.finished);
  });

  it("holds a lock key across runbooks, while another key runs in parallel", async () => {
    const restart = await requestRun(developer, { slug: "restart-host", params: { host: "db1" } });
    await eventually(async () => ((await getRun(developer, restart.id)).status === "running" ? true : undefined));
    const drain = await requestRun(developer, { slug: "drain-host", params: { host: "db1" } });
    const otherHost = await requestRun(developer, { slug: "restart-host", params: { host: "db2" } });
    await eventually(async () => ((await getRun(developer, otherHost.id)).status !== "queued" ? true : undefined));

    const blocked = await getRun(developer, drain.id);
    expect(blocked.status).toBe("queued");
    expect(blocked.queue).toEqual({ reason: `waiting for lock "host:db1" (held by run #${restart.id})`, position: 1 });

    await Promise.all([restart, drain, otherHost].map((run) => finished(run.id)));
    const [held, waited, parallel] = await Promise.all([restart, drain, otherHost].map((run) => timesOf(run.id)));
    expect(waited!.started).toBeGreaterThanOrEqual(held!.finished);
    expect(parallel!.started).toBeLessThan(held!.finished);
  });

  it("stops storing output at the cap with a marker, lets the run finish, and counts what it dropped", async () => {
    const run = await finished((await requestRun(developer, { slug: "flood", params: {} })).id);
    expect(run.status).toBe("succeeded");
    const lines = await outputOf(run.id);
    const markers = lines.filter((line) => line.stream === "system");
    expect(markers[0]?.line).toBe("output cap of 64.0 KB reached: further output is counted but not stored (the run goes on)");
    expect(markers.at(-1)?.line).toMatch(/^\d+ more lines \([\d.]+ KB\) were printed after the cap and not stored$/);
    expect(run.output.bytes).toBeLessThanOrEqual(OUTPUT_CAP + 200);
    expect(run.output.droppedBytes).toBeGreaterThan(0);
    const printed = lines.filter((line) => line.stream === "stdout");
    expect(printed[0]?.line).toBe("1");
    // Every stored line is in order with none missing before the cut: the cap drops the tail, never the middle.
    expect(printed.map((line) => Number(line.line))).toEqual(printed.map((_, index) => index + 1));
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
  });

  it("stores stdout and stderr lines in the order they arrived, tagged by stream, not batched by stream", async () => {
    const run = await finished((await requestRun(developer, { slug: "interleaved", params: {} })).id);
    expect(run.status).toBe("succeeded");
    const lines = await outputOf(run.id);
    expect(lines.filter((line) => line.stream === "stderr").map((line) => line.line)).toEqual(Array.from({ length: 60 }, (_, index) => `err ${index + 1}`));
    // Each stream keeps its own order exactly. Across the two, data ready on both pipes at once is
    // read in either order (and a busy machine reads less often), so the bound is what one pipe
    // buffer holds; stored by stream batches instead, stderr would sit after stdout as a block.
    const positions: Record<string, number[]> = { stdout: [], stderr: [] };
    lines.forEach((line, index) => {
      if (line.line !== "done") positions[line.stream]?.push(index);
    });
    for (const stream of ["stdout", "stderr"] as const) {
      const own = lines.filter((line) => line.stream === stream && line.line !== "done").map((line) => Number(line.line.split(" ")[1]));
      expect(own).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    }
    const meanPosition = (list: number[] = []) => list.reduce((sum, value) => sum + value, 0) / Math.max(1, list.length);
    expect(Math.abs(meanPosition(positions.stdout) - meanPosition(positions.stderr))).toBeLessThan(30);
    expect(lines.at(-1)).toMatchObject({ stream: "stdout", line: "done" });
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));

    // A flood on both pipes at once: a line may trail the other stream by at most what one pipe buffer holds.
    const flood = await finished((await requestRun(developer, { slug: "both-floods", params: {} })).id);
    const stored = (await outputOf(flood.id)).filter((line) => line.line !== "done");
    expect(stored).toHaveLength(12_000);
    const pipeBufferLines = Math.ceil(65_536 / "6000\n".length);
    let newest = 0;
    let worst = 0;
    for (const line of stored) {
      const number = Number(line.line);
      newest = Math.max(newest, number);
      worst = Math.max(worst, newest - number);
    }
    expect(worst).toBeLessThanOrEqual(pipeBufferLines);
  });

  it("gives the process the definition's environment and inherited variables only, in a directory of its own", async () => {
    const [one, two] = await Promise.all([1, 2].map(() => requestRun(developer, { slug: "show-env", params: {} })));
    const outputs = await Promise.all([one!, two!].map(async (run) => (await finished(run.id), (await outputOf(run.id)).map((line) => line.line))));
    const [first, second] = outputs as [string[], string[]];
    expect(first.slice(0, 5)).toEqual(["greeting=hello from the definition", "label=build-77", "auth=unset", "db=unset", "other=unset"]);
    expect(first[5]).toMatch(/\/run-(\d+-|w)[0-9a-f]+$/);
    expect(second[5]).not.toBe(first[5]);
  });

  it("hands a store secret to the process as an environment variable and masks it in output, API and audit, even split across writes", async () => {
    await setSecret({ type: "system", id: "test" }, { name: "deploy-token", value: STORE_SECRET }, keyring);
    const run = await finished((await requestRun(developer, { slug: "uses-secret", params: { password: "pa55word-xyz" } })).id);
    expect(run.status).toBe("succeeded");
    const lines = (await outputOf(run.id)).map((line) => line.line);
    // stderr travels on its own pipe, so only the stdout lines keep their relative order.
    expect(lines.filter((line) => !line.startsWith("password="))).toEqual(["token=********", "split:********", `length=${STORE_SECRET.length}`]);
    expect(lines).toContain("password=********");
    const everything = JSON.stringify({ run, lines, audit: await handle.db.select().from(auditEvents) });
    expect(everything).not.toContain(STORE_SECRET);
    expect(everything).not.toContain("pa55word-xyz");
  });

  it("masks every line of a multi-line secret parameter and of a multi-line store secret (a PEM key) in output, API and audit", async () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
    await setSecret({ type: "system", id: "test" }, { name: "deploy-token", value: pem }, keyring);
    const run = await finished((await requestRun(developer, { slug: "uses-secret", params: { password: "abc\r\ndefghi" } })).id);
    expect(run.status).toBe("succeeded");
    const lines = (await outputOf(run.id)).map((line) => line.line);
    const everything = JSON.stringify({ run, lines, audit: await handle.db.select().from(auditEvents) });
    for (const piece of [...pem.split("\n"), "defghi"]) expect(everything).not.toContain(piece);
    expect(lines).toContain("token=********");
    expect(lines).toContain("password=********");
  });

  it("stores a line with a NUL byte (which PostgreSQL text cannot hold) with a visible mark, and the run succeeds", async () => {
    const run = await finished((await requestRun(developer, { slug: "prints-nul", params: {} })).id);
    expect(run.status).toBe("succeeded");
    expect((await outputOf(run.id)).map((line) => line.line)).toEqual(["a\u2400b", "after"]);
  });

  it("refuses a run whose runbook needs a secret that is not set, creating nothing", async () => {
    const before = await handle.db.select({ id: runs.id }).from(runs);
    const error = await rejection(requestRun(developer, { slug: "needs-secret", params: {} }));
    expect(error.status).toBe(409);
    expect(error.message).toContain("needs secrets that are not set: never-set-token");
    expect(await handle.db.select({ id: runs.id }).from(runs)).toHaveLength(before.length);
  });

  it("ends the runs of a worker that is shut down as interrupted, not cancelled", async () => {
    const run = await requestRun(developer, { slug: "long-job", params: {} });
    await eventually(async () => ((await outputOf(run.id)).some((line) => line.line === "working") ? true : undefined));
    await worker.stop();
    const ended = await getRun(developer, run.id);
    expect(ended.status).toBe("interrupted");
    expect((await outputOf(run.id)).at(-1)?.line).toBe("the worker is shutting down: sending SIGTERM to the process group");
    worker = new Worker({ handle, concurrency: 1, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: OUTPUT_CAP });
  });
});
