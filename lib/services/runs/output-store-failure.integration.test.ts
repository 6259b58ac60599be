import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import type { Actor } from "../actor";
import { requestRun } from "./request-run";
import { createActor, lastAudit, runOutputLines, seedRunbooks, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import { Worker } from "../../executor/worker";

// The database refuses output through a trigger, as it would when a disk fills or a constraint
// is violated. A sequence counts refusals: unlike a table, it is not rolled back with the insert.
const FAULTS = [
  `create sequence test_flaky_refusals`,
  `create function test_refuse_output() returns trigger language plpgsql as $$
begin
  if strpos(new.line, 'REFUSE-ALWAYS') > 0 then
    raise exception 'simulated storage fault at line %', new.seq;
  end if;
  if strpos(new.line, 'REFUSE-TWICE') > 0 and nextval('test_flaky_refusals') <= 2 then
    raise exception 'simulated transient fault';
  end if;
  return new;
end $$`,
  `create trigger test_refuse_output before insert on run_output for each row execute function test_refuse_output()`,
];

const runbookFiles = {
  "refused.yaml": `
slug: refused-output
title: Prints a line the store refuses, then keeps working
owner: platform
risk: low
timeout: 60s
command: ["/bin/sh", "-c", "echo before; sleep 0.3; echo REFUSE-ALWAYS; sleep 0.3; echo after; sleep 40; echo never"]
`,
  "flaky.yaml": `
slug: flaky-output
title: Prints a line the store refuses twice
owner: platform
risk: low
timeout: 60s
command: ["/bin/sh", "-c", "echo one; sleep 0.3; echo REFUSE-TWICE two; echo three"]
`,
};

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let developer: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  for (const statement of FAULTS) await handle.db.execute(sql.raw(statement));
  await seedRunbooks(handle, runbookFiles);
  developer = await createActor(handle, "developer");
  worker = new Worker({ handle, concurrency: 2, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: 1024 * 1024, pollIntervalMs: 200 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await dispose?.();
});

describe(`output the database refuses, on ${testDriver}`, () => {
  it("stops the process and fails the run at once, saying why, instead of leaving it running", async () => {
    const requested = Date.now();
    const run = await waitForRunEnd(developer, (await requestRun(developer, { slug: "refused-output", params: {} })).id);
    // Retries take about 8 s; the script would run for 40 s more and heartbeat recovery takes 30 s.
    expect(Date.now() - requested).toBeLessThan(25_000);
    expect(run.status).toBe("failed");
    expect(run.signal).toBe("SIGTERM");
    expect(run.errorMessage).toMatch(/^output could not be stored: .*simulated storage fault at line 2/);

    const lines = await runOutputLines(developer, run.id);
    expect(lines.map((line) => [line.seq, line.stream])).toEqual([
      [1, "stdout"],
      [2, "system"],
    ]);
    expect(lines[0]?.line).toBe("before");
    expect(lines[1]?.line).toMatch(/^output could not be stored: .*simulated storage fault.*\(\d+ lines not stored; the run was stopped\)$/);
    expect(run.output.lines).toBe(2);

    const finished = await lastAudit(handle, "run.finished");
    expect(finished?.subjectId).toBe(String(run.id));
    expect(finished?.outcome).toBe("failure");
    expect(finished?.details).toMatchObject({ status: "failed", outputLines: 2 });
  }, 40_000);

  it("retries a batch the database refused for a moment and keeps every line once, in order", async () => {
    const run = await waitForRunEnd(developer, (await requestRun(developer, { slug: "flaky-output", params: {} })).id);
    expect(run.status).toBe("succeeded");
    expect(run.errorMessage).toBeNull();
    const lines = await runOutputLines(developer, run.id);
    expect(lines.map((line) => line.line)).toEqual(["one", "REFUSE-TWICE two", "three"]);
    expect(lines.map((line) => line.seq)).toEqual([1, 2, 3]);
    expect(run.output.lines).toBe(3);
  }, 30_000);
});
